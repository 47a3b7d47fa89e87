// JSON Schemas of the apflow.task.* modules' inputs (their outputs are described beside them
// in task_modules.cpp). Kept apart so the adapters read as a table.
#pragma once

namespace apflow::modules::schemas {

// A task's schedule (reference §10); next_run_at is worked out from it.
#define APFLOW_SCHEDULE_PROPERTIES                                                             \
  R"~("schedule_type":{"enum":["once","interval","cron","daily","weekly","monthly"],)~"        \
  R"~("description":"Run the task on a schedule (with schedule_expression)"},)~"               \
  R"~("schedule_expression":{"type":"string","description":"once: ISO time; interval: )~"      \
  R"~(seconds; cron: 5 fields; daily: HH:MM; weekly: '1,3 09:00' (1 = Monday); monthly: )~"    \
  R"~('1,15 09:00'"},"schedule_enabled":{"type":"boolean","description":"Default true when )~" \
  R"~(a schedule is given"},"schedule_start_at":{"type":"string","format":"date-time"},)~"     \
  R"~("schedule_end_at":{"type":"string","format":"date-time"},)~"                             \
  R"~("max_runs":{"type":"integer","minimum":1,"description":"Stop after this many runs"})~"

// One task of an array, as create_task_tree_from_array accepts it.
#define APFLOW_TASK_ITEM_PROPERTIES                                                                 \
  R"~("name":{"type":"string","minLength":1,"description":"Task name, unique within the array"},)~" \
  R"~("id":{"type":"string","minLength":1,"description":"Task id (a UUID when omitted)"},)~"        \
  R"~("parent_id":{"type":"string","description":"Parent task id or name (structure)"},)~"          \
  R"~("priority":{"type":"integer","minimum":0,"maximum":3,"description":"0 runs first"},)~"        \
  R"~("inputs":{"type":"object","description":"Input given to the executor"},)~"                    \
  R"~("params":{"type":"object","description":"params.executor_id selects the executor"},)~"        \
  R"~("schemas":{"type":"object","description":"schemas.method also selects the executor"},)~"      \
  R"~("dependencies":{"type":"array","description":"Tasks to wait for: ids or names, or )~"         \
  R"~({id|name, required} objects","items":{"type":["string","object"]}},)~"                        \
  R"~("user_id":{"type":"string"},"task_tree_id":{"type":"string"},)~"                              \
  R"~("token_budget":{"type":"integer","minimum":0},"cost_policy":{"type":"string"},)~"             \
  R"~("max_attempts":{"type":"integer","minimum":1,"maximum":100,"description":"Attempts )~"        \
  R"~(before a retryable failure is final (default: durability.max_attempts, 3)"},)~"               \
  R"~("backoff_strategy":{"enum":["fixed","linear","exponential"],"description":"Delay )~"          \
  R"~(between attempts (default: durability.backoff_strategy)"},)~"                                 \
  R"~("backoff_base_ms":{"type":"integer","minimum":1},)~"                                          \
  R"~("backoff_max_ms":{"type":"integer","minimum":1},)~"                                           \
  R"~("timeout_ms":{"type":"integer","minimum":1,"description":"Deadline of one run"},)~" APFLOW_SCHEDULE_PROPERTIES

#define APFLOW_TREE_OPTIONS                                                                 \
  R"~("failure_policy":{"enum":["fail","skip","continue"],"description":"What a failed )~"  \
  R"~(required dependency does to its dependents (default fail)"},)~"                       \
  R"~("injection":{"enum":["by_id","merge"],"description":"How dependency results reach )~" \
  R"~(inputs: inputs[<dep id>] (default) or apflow's merge"})~"

inline constexpr const char* kCreateTree =
    R"~({"type":"object","properties":{"tasks":{"type":"array","minItems":1,"items":{)~"
    R"~("type":"object","properties":{)~" APFLOW_TASK_ITEM_PROPERTIES
    R"~(},"required":["name"],"additionalProperties":false}},)~" APFLOW_TREE_OPTIONS
    R"~(,"parent_after_children":{"type":"boolean","description":"A parent runs after all its )~"
    R"~(children (default true)"}},"required":["tasks"],"additionalProperties":false})~";

inline constexpr const char* kCreate =
    R"~({"type":"object","properties":{)~" APFLOW_TASK_ITEM_PROPERTIES "," APFLOW_TREE_OPTIONS
    R"~(},"required":["name"],"additionalProperties":false})~";

inline constexpr const char* kTaskId =
    R"~({"type":"object","properties":{"task_id":{"type":"string","minLength":1}},)~"
    R"~("required":["task_id"],"additionalProperties":false})~";

inline constexpr const char* kExecute =
    R"~({"type":"object","properties":{"task_id":{"type":"string","minLength":1,)~"
    R"~("description":"Root of the tree (or of the part) to run"},)~"
    R"~("wait":{"type":"boolean","description":"Wait for the run to end (default false)"},)~"
    R"~("timeout_ms":{"type":"integer","minimum":1,"description":"Longest wait (default 60000)"},)~"
    R"~("rerun":{"enum":["failed","all"],"description":"Run failed and pending tasks again )~"
    R"~((default), or everything under task_id"},)~"
    R"~("task_ids":{"type":"array","minItems":1,"items":{"type":"string","minLength":1},)~"
    R"~("description":"Run these tasks again (inside task_id's tree), with every task that )~"
    R"~(used their results; the other completed tasks keep theirs"}},"required":["task_id"],)~"
    R"~("additionalProperties":false})~";

inline constexpr const char* kCancel =
    R"~({"type":"object","properties":{"task_ids":{"type":"array","minItems":1,)~"
    R"~("items":{"type":"string"}},"error_message":{"type":"string","default":"Cancelled via API"}},)~"
    R"~("required":["task_ids"],"additionalProperties":false})~";

inline constexpr const char* kUpdate =
    R"~({"type":"object","properties":{"task_id":{"type":"string","minLength":1},)~"
    R"~("name":{"type":"string","minLength":1},)~"
    R"~("status":{"enum":["pending","in_progress","completed","failed","cancelled"]},)~"
    R"~("priority":{"type":"integer","minimum":0,"maximum":3},"inputs":{"type":"object"},)~"
    R"~("params":{"type":"object"},"schemas":{"type":"object"},"error":{"type":["string","null"]},)~"
    R"~("result":{},"progress":{"type":"number","minimum":0,"maximum":1},"user_id":{"type":"string"},)~"
    R"~("timeout_ms":{"type":"integer","minimum":1},"max_attempts":{"type":"integer","minimum":1,)~"
    R"~("maximum":100},"token_budget":{"type":"integer","minimum":0},"cost_policy":{"type":"string"},)~" APFLOW_SCHEDULE_PROPERTIES
    R"~(},"required":["task_id"],"additionalProperties":false})~";

inline constexpr const char* kList =
    R"~({"type":"object","properties":{)~"
    R"~("status":{"enum":["pending","in_progress","completed","failed","cancelled"]},)~"
    R"~("user_id":{"type":"string"},"limit":{"type":"integer","minimum":1,"maximum":1000,)~"
    R"~("default":50},"offset":{"type":"integer","minimum":0,"default":0}},)~"
    R"~("additionalProperties":false})~";

inline constexpr const char* kDelete =
    R"~({"type":"object","properties":{"task_id":{"type":"string","minLength":1},)~"
    R"~("cascade":{"type":"boolean","description":"Also delete every descendant (default false)"}},)~"
    R"~("required":["task_id"],"additionalProperties":false})~";

inline constexpr const char* kRunning =
    R"~({"type":"object","properties":{"user_id":{"type":"string"},)~"
    R"~("limit":{"type":"integer","minimum":1,"maximum":100,"default":20}},)~"
    R"~("additionalProperties":false})~";

inline constexpr const char* kScheduled =
    R"~({"type":"object","properties":{"enabled_only":{"type":"boolean","default":true},)~"
    R"~("user_id":{"type":"string"},)~"
    R"~("schedule_type":{"enum":["once","interval","cron","daily","weekly","monthly"]},)~"
    R"~("status":{"enum":["pending","in_progress","completed","failed","cancelled"]},)~"
    R"~("limit":{"type":"integer","minimum":1,"maximum":100,"default":20},)~"
    R"~("offset":{"type":"integer","minimum":0,"default":0}},"additionalProperties":false})~";

inline constexpr const char* kRunDue =
    R"~({"type":"object","properties":{"limit":{"type":"integer","minimum":1,"maximum":1000,)~"
    R"~("default":100,"description":"Most due tasks started by this call"}},)~"
    R"~("additionalProperties":false})~";

#define APFLOW_CLONE_PROPERTIES                                                             \
  R"~("task_id":{"type":"string","minLength":1},)~"                                         \
  R"~("recursive":{"type":"boolean","description":"Include the subtree (default true)"},)~" \
  R"~("auto_include_deps":{"type":"boolean"},)~"                                            \
  R"~("overrides":{"type":"object","description":"Fields set on every cloned task"})~"

inline constexpr const char* kClone = R"~({"type":"object","properties":{)~" APFLOW_CLONE_PROPERTIES
                                      R"~(},"required":["task_id"],"additionalProperties":false})~";

inline constexpr const char* kCloneMixed =
    R"~({"type":"object","properties":{)~" APFLOW_CLONE_PROPERTIES
    R"~(,"link_task_ids":{"type":"array","items":{"type":"string"},"description":"Source )~"
    R"~(tasks to link; every other task is copied"}},"required":["task_id","link_task_ids"],)~"
    R"~("additionalProperties":false})~";

}  // namespace apflow::modules::schemas
