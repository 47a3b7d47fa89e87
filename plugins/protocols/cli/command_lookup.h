// Finds the module a command line names, or explains what exists when it names none.
#pragma once

#include <apflow/sdk/json.h>

#include <string>
#include <vector>

#include "cli/command_names.h"

namespace apflow::plugins::cli {

struct CommandTarget {
  const rapidjson::Value* module = nullptr;  // null: the command line names only a group
  std::string group;                         // the group named, if any
  std::string usage;                         // `apflow testkit sleep`
  size_t first_flag = 0;                     // index in args of the first argument after it
};

// Throws sdk::Error(MODULE_NOT_FOUND) listing what exists when args name no group or command.
CommandTarget find_command(const CommandIndex& index, const std::vector<std::string>& args);

// The help of a group: its commands with their one-line descriptions.
std::string group_help(const CommandIndex& index, const std::string& group);

// The first line of a module's description.
std::string summary_of(const rapidjson::Value& descriptor);

}  // namespace apflow::plugins::cli
