// Result injection: what a task's executor receives from the tasks it depends on.
//
//  by_id (default): inputs[<dependency id>] = that dependency's result, for every dependency
//                   that completed (required or optional); the task's own inputs otherwise
//                   stay as they are. One rule, easy to predict.
//  merge (opt-in):  apflow's fallback merge (reference §3.6): for the aggregate executor,
//                   inputs[<id>] = result; else an object result is merged key by key into the
//                   inputs (later dependencies win); any other result goes to inputs[<id>].
//                   A result object holding only "result" is unwrapped first, as apflow does.
//
// An executor whose input schema closes its top level (additionalProperties: false) receives
// only the injected keys its schema declares: anything else would make every task with
// dependencies fail validation. Such an executor names the dependencies it wants among its
// properties (or reads them through `merge`).
#pragma once

#include <rapidjson/document.h>

#include <string_view>

namespace apflow::engine {

// inputs: the task's stored inputs (object or null); dependencies: its `dependencies` array;
// results: {"<dep id>": {"status", "result", "name"}} from claim_tasks.
// input_schema: the executor's input schema (null: accepts any key).
rapidjson::Document inject_results(const rapidjson::Value& inputs,
                                   const rapidjson::Value& dependencies,
                                   const rapidjson::Value& results, std::string_view mode,
                                   std::string_view executor_id,
                                   const rapidjson::Value* input_schema = nullptr);

}  // namespace apflow::engine
