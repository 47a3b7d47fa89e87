// `apflow <group> <command> [--flags]` and `apflow <command> [--flags]`: one command per module,
// generated from the registry at run time.
#pragma once

#include <string>
#include <vector>

#include "cli/module_caller.h"

namespace apflow::plugins::cli {

// args[0] is the word after `apflow` (a group or a top-level command). Returns the exit code.
int run_module_command(const ModuleCaller& caller, const std::vector<std::string>& args);

}  // namespace apflow::plugins::cli
