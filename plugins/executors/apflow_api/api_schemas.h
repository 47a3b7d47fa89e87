// apflow_api_executor's input and output JSON Schemas and examples, kept apart from the code.
#pragma once

#include <string_view>

namespace apflow::plugins::apflow_api::schemas {

inline constexpr std::string_view kInput = R"json({"type":"object","properties":{
  "base_url":{"type":"string","minLength":1,
    "description":"The remote `apflow serve` A2A endpoint, e.g. http://10.0.0.5:8000/"},
  "tasks":{"type":"array","minItems":1,"items":{"type":"object"},
    "description":"A task tree to create on the remote (apflow.task.create_tree) and execute until it ends"},
  "failure_policy":{"type":"string","enum":["fail","skip","continue"],
    "description":"With tasks: passed to apflow.task.create_tree"},
  "injection":{"type":"string","enum":["by_id","merge"],
    "description":"With tasks: passed to apflow.task.create_tree"},
  "parent_after_children":{"type":"boolean",
    "description":"With tasks: passed to apflow.task.create_tree"},
  "module":{"type":"string","minLength":1,
    "description":"Instead of tasks: the remote module (A2A skill) to call, e.g. apflow.task.get"},
  "module_input":{"description":"With module: its input (default {})"},
  "token":{"type":"string",
    "description":"Bearer token of the remote; prefer plugins.apflow_api.token or APFLOW_API_TOKEN, since task inputs are stored"},
  "timeout":{"type":"number","minimum":0,"exclusiveMinimum":true,
    "description":"Seconds the whole remote run may take; default plugins.apflow_api.default_timeout (300)"},
  "poll_interval":{"type":"number","minimum":0.01,
    "description":"Longest pause in seconds between two looks at the remote task; default plugins.apflow_api.poll_interval (0.5)"}},
 "required":["base_url"],
 "description":"Give tasks or module. Other keys (such as injected dependency results) are ignored"})json";

inline constexpr std::string_view kOutput = R"json({"type":"object","properties":{
  "success":{"type":"boolean","description":"Always true: a remote failure is an error"},
  "base_url":{"type":"string"},
  "module":{"type":"string","description":"The remote module whose result this is"},
  "remote_task_id":{"type":"string","description":"The A2A task id on the remote"},
  "root_task_id":{"type":"string","description":"With tasks: the remote tree's root task id"},
  "status":{"type":"string","description":"With tasks: the remote tree's status (completed)"},
  "result":{"description":"The remote root task's result (tasks), or the module's output"}},
 "required":["success","base_url","module","remote_task_id"]})json";

inline constexpr std::string_view kExamples = R"json([
  {"title":"Run a tree on another apflow",
   "inputs":{"base_url":"http://10.0.0.5:8000/",
             "tasks":[{"id":"fetch","name":"fetch","params":{"executor_id":"rest_executor"},
                       "inputs":{"url":"https://api.example.com/items"}}]}},
  {"title":"Read a task of another apflow",
   "inputs":{"base_url":"http://10.0.0.5:8000/","module":"apflow.task.get",
             "module_input":{"task_id":"fetch"}}}])json";

}  // namespace apflow::plugins::apflow_api::schemas
