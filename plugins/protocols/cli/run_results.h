// `apflow run`: the results once the trees have ended, from their apflow.task.tree outputs
// ({"task": {row}, "children": [...]}).
#pragma once

#include <apflow/sdk/json.h>

#include <string>
#include <vector>

namespace apflow::plugins::cli {

// True when there is at least one task and every task of every tree completed.
bool all_completed(const std::vector<sdk::Json>& trees);

// For people: a row per task, indented under its parent, with its status and its result (or
// error), then a count per status. Ends in a newline.
std::string results_table(const std::vector<sdk::Json>& trees);

// For programs: {"trees": [...]}, indented, without a trailing newline.
std::string results_json(const std::vector<sdk::Json>& trees);

// `2 completed, 1 failed`.
std::string status_summary(const std::vector<sdk::Json>& trees);

}  // namespace apflow::plugins::cli
