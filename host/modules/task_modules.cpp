#include "modules/task_modules.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <functional>
#include <optional>

#include "core/error.h"
#include "core/json_text.h"
#include "engine/clock.h"
#include "modules/task_schemas.h"
#include "registry/module_call.h"

namespace apflow::modules {
namespace {

using engine::Engine;
using Method = engine::Json (Engine::*)(const rapidjson::Value&);

struct Spec {
  const char* id;
  const char* description;
  const char* input_schema;
  const char* output_schema;
  const char* annotations;
  Method method;
};

constexpr const char* kTaskRow = R"({"type":"object","properties":{"id":{"type":"string"},)"
                                 R"("name":{"type":"string"},"status":{"type":"string"}},)"
                                 R"("required":["id","name","status"]})";
constexpr const char* kCloneOut =
    R"({"type":"object","properties":{"root_task_id":{"type":"string"},)"
    R"("task_count":{"type":"integer"},"origin_type":{"type":"string"}},)"
    R"("required":["root_task_id","task_count","origin_type"]})";
constexpr const char* kReadOnly = R"({"readonly":true,"idempotent":true,"open_world":false})";
// One row read by id: cheaper run on the caller's thread than handed to a worker and back.
constexpr const char* kReadOneRow =
    R"({"readonly":true,"idempotent":true,"open_world":false,"extra":{"apflow.inline":true}})";
constexpr const char* kClosed = R"({"open_world":false})";

const Spec kSpecs[] = {
    {"apflow.task.create", "Create a new task in the apflow task engine.", schemas::kCreate,
     R"({"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"},)"
     R"("status":{"type":"string"},"created_at":{"type":"string"}},"required":["id"]})",
     kClosed, &Engine::create_task},
    {"apflow.task.create_tree",
     "Create a task tree (or a forest) from an array of tasks in one atomic step.",
     schemas::kCreateTree,
     R"({"type":"object","properties":{"root_task_id":{"type":"string"},)"
     R"("root_task_ids":{"type":"array","items":{"type":"string"}},)"
     R"("task_count":{"type":"integer"},"task_ids":{"type":"array","items":{"type":"string"}}},)"
     R"("required":["root_task_id","task_count","task_ids"]})",
     kClosed, &Engine::create_tree},
    {"apflow.task.execute",
     "Run the task tree rooted at a task: returns at once, or waits for the run to end.",
     schemas::kExecute,
     R"({"type":"object","properties":{"task_id":{"type":"string"},"status":{"type":"string"},)"
     R"("progress":{"type":"number"},"result":{},"error":{},"token_usage":{},)"
     R"("queued":{"type":"integer"}},"required":["task_id","status"]})",
     R"({"open_world":true})", &Engine::execute},
    {"apflow.task.cancel",
     "Cancel tasks and everything under them; running executors are stopped at once.",
     schemas::kCancel,
     R"({"type":"object","properties":{"results":{"type":"array"}},"required":["results"]})",
     R"({"destructive":true,"open_world":false})", &Engine::cancel},
    {"apflow.task.get", "Get one task with all its fields.", schemas::kTaskId, kTaskRow,
     kReadOneRow, &Engine::get},
    {"apflow.task.update", "Update fields of a task; status changes are validated.",
     schemas::kUpdate, kTaskRow, R"({"idempotent":true,"open_world":false})", &Engine::update},
    {"apflow.task.list", "List tasks, newest first, with the total number that match.",
     schemas::kList,
     R"({"type":"object","properties":{"tasks":{"type":"array"},"total":{"type":"integer"}},)"
     R"("required":["tasks","total"]})",
     kReadOnly, &Engine::list},
    {"apflow.task.delete",
     "Delete a task (and with cascade its subtree); refuses running or referenced tasks.",
     schemas::kDelete,
     R"({"type":"object","properties":{"task_id":{"type":"string"},"deleted":{"type":"boolean"},)"
     R"("deleted_count":{"type":"integer"}},"required":["task_id","deleted"]})",
     R"({"destructive":true,"open_world":false})", &Engine::remove},
    {"apflow.task.tree", "Get a task and all its descendants as a nested tree.", schemas::kTaskId,
     R"({"type":"object","properties":{"task":{"type":"object"},"children":{"type":"array"}},)"
     R"("required":["task","children"]})",
     kReadOnly, &Engine::tree},
    {"apflow.task.children", "List the direct children of a task by priority.", schemas::kTaskId,
     R"({"type":"object","properties":{"children":{"type":"array"}},"required":["children"]})",
     kReadOnly, &Engine::children},
    {"apflow.task.link", "Link a completed tree: a read-only reference to its results.",
     schemas::kClone, kCloneOut, kClosed, &Engine::link},
    {"apflow.task.copy", "Copy a tree to run it again, with overrides; execution state is reset.",
     schemas::kClone, kCloneOut, kClosed, &Engine::copy},
    {"apflow.task.archive", "Archive a completed tree as an immutable, read-only snapshot.",
     schemas::kClone, kCloneOut, R"({"destructive":true,"open_world":false})", &Engine::archive},
    {"apflow.task.clone_mixed", "Clone a tree, linking the listed tasks and copying the rest.",
     schemas::kCloneMixed, kCloneOut, kClosed, &Engine::clone_mixed},
    {"apflow.task.running", "List tasks that are running now.", schemas::kRunning,
     R"({"type":"object","properties":{"tasks":{"type":"array"},"count":{"type":"integer"}},)"
     R"("required":["tasks","count"]})",
     kReadOnly, &Engine::running},
    {"apflow.task.scheduled",
     "List scheduled tasks by next run, with their schedule, runs so far and status.",
     schemas::kScheduled,
     R"({"type":"object","properties":{"tasks":{"type":"array"},"count":{"type":"integer"},)"
     R"("total":{"type":"integer"}},"required":["tasks","count","total"]})",
     kReadOnly, &Engine::scheduled},
    {"apflow.task.run_due",
     "Start every scheduled task that is due now (serving processes also do this on their own).",
     schemas::kRunDue,
     R"({"type":"object","properties":{"started":{"type":"array"},"skipped":{"type":"array"}},)"
     R"("required":["started","skipped"]})",
     R"({"open_world":true})", &Engine::run_due},
    {"apflow.durability.breakers",
     "Show the circuit breaker of each executor in this process: state, failures in a row, "
     "and when a probe may run.",
     R"({"type":"object","properties":{},"additionalProperties":false})",
     R"({"type":"object","properties":{"breakers":{"type":"array"},"config":{"type":"object"}},)"
     R"("required":["breakers","config"]})",
     kReadOnly, &Engine::breakers},
    {"apflow.task.checkpoint",
     "Read the checkpoint a task saved: what its next attempt (a retry or a resume after a "
     "crash) will start from. Removed when the task completes.",
     schemas::kTaskId,
     R"({"type":"object","properties":{"task_id":{"type":"string"},"status":{"type":"string"},)"
     R"("attempt_count":{"type":"integer"},"has_checkpoint":{"type":"boolean"},"data":{}},)"
     R"("required":["task_id","has_checkpoint","data"]})",
     kReadOnly, &Engine::checkpoint},
};

void fail(registry::ModuleCall& call, const std::string& code, const std::string& message,
          const std::string& details) {
  const apflow_error error{sizeof(apflow_error), code.c_str(), message.c_str(),
                           details.empty() ? nullptr : details.c_str(), -1};
  call.abi()->complete(call.abi(), APFLOW_ERROR, nullptr, 0, &error);
}

// Completes `call` with what `make` gives (nothing: it was completed already) or its error.
void complete(registry::ModuleCall& call,
              const std::function<std::optional<engine::Json>()>& make) {
  try {
    if (const auto output = make()) call.complete_output(*output, json_text(*output));
  } catch (const Error& e) {
    fail(call, e.code(), e.what(), e.details_json());
  } catch (const std::exception& e) {
    fail(call, std::string(codes::kModuleExecuteError), e.what(), "");
  }
}

// A waiting execute must answer before the call's own deadline.
void bound_wait(rapidjson::Document& input, const registry::ModuleCall& call) {
  if (!input.HasMember("wait") || !input["wait"].IsBool() || !input["wait"].GetBool()) return;
  const int64_t deadline = call.identity().deadline_ms;
  if (deadline <= 0) return;
  const int64_t left = std::max<int64_t>(1, deadline - engine::now_ms() - 250);
  const int64_t asked = input.HasMember("timeout_ms") && input["timeout_ms"].IsInt64()
                            ? input["timeout_ms"].GetInt64()
                            : 60000;
  input.RemoveMember("timeout_ms");
  input.AddMember("timeout_ms", std::min(asked, left), input.GetAllocator());
}

}  // namespace

void register_task_modules(registry::Registry& registry, Engine& engine) {
  for (const Spec& spec : kSpecs) {
    registry::ModuleRecord record;
    record.id = spec.id;
    record.description = spec.description;
    record.input_schema = schema::Schema::compile(spec.input_schema);
    record.output_schema = schema::Schema::compile(spec.output_schema);
    record.annotations = registry::Annotations::from_json(spec.annotations);
    record.tags = {"task"};
    record.owner = "apflow";
    const Method method = spec.method;
    record.invoke = [&engine, method](registry::ModuleCall& call, std::string_view input_json) {
      complete(call, [&]() -> std::optional<engine::Json> {
        rapidjson::Document input = call.take_input(input_json);
        if (method == &Engine::get) {  // the commonest call: its text is the store's own
          engine::rows::ShownTask shown = engine.get_shown(input);
          call.complete_output(shown.row, std::move(shown.text));
          return std::nullopt;
        }
        if (method == &Engine::execute) {
          // A waiting execute is answered when its run ends, holding no worker meanwhile.
          bound_wait(input, call);
          engine.execute_then(input, [&call](const std::function<engine::Json()>& result) {
            complete(call, [&] { return std::optional<engine::Json>(result()); });
          });
          return std::nullopt;
        }
        return (engine.*method)(input);
      });
    };
    registry.add(std::move(record));
  }
}

}  // namespace apflow::modules
