// Result injection: what a task's executor receives from the tasks it depends on.
//
//  by_id (default): inputs[<dependency id>] = that dependency's result, for every dependency
//                   that completed (required or optional); the task's own inputs otherwise
//                   stay as they are. One rule, easy to predict.
//  merge (opt-in):  apflow's fallback merge (reference §3.6): for the aggregate executor,
//                   inputs[<id>] = result; else an object result is merged key by key into the
//                   inputs (later dependencies win); any other result goes to inputs[<id>].
//                   A result object holding only "result" is unwrapped first, as apflow does.
#pragma once

#include <rapidjson/document.h>

#include <string_view>

namespace apflow::engine {

// inputs: the task's stored inputs (object or null); dependencies: its `dependencies` array;
// results: {"<dep id>": {"status", "result", "name"}} from claim_tasks.
rapidjson::Document inject_results(const rapidjson::Value& inputs,
                                   const rapidjson::Value& dependencies,
                                   const rapidjson::Value& results, std::string_view mode,
                                   std::string_view executor_id);

}  // namespace apflow::engine
