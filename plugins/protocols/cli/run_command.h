// `apflow run FILE [--format json|table] [--timeout-s N]`: creates the task trees a file
// describes, runs them, shows their progress and prints their results.
#pragma once

#include <string>
#include <vector>

#include "cli/module_caller.h"

namespace apflow::plugins::cli {

// args[0] is "run". Returns the exit code: 0 when every task completed, 1 otherwise, 130 after
// Ctrl-C, 2 for a bad command line or file.
int run_tree_file(const ModuleCaller& caller, const std::vector<std::string>& args);

}  // namespace apflow::plugins::cli
