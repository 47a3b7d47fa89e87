#include "cli/command_lookup.h"

#include <apflow/sdk/error.h>

#include <CLI/CLI.hpp>

namespace apflow::plugins::cli {
namespace {

std::string listed(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : ", ") + word;
  return out.empty() ? "(none)" : out;
}

[[noreturn]] void unknown_word(const CommandIndex& index, const std::string& word) {
  throw sdk::Error("MODULE_NOT_FOUND", "no module command '" + word +
                                           "'; groups: " + listed(index.groups()) +
                                           "; commands: " + listed(index.top_level_commands()) +
                                           " (`apflow info` lists the modules)");
}

[[noreturn]] void unknown_command(const CommandIndex& index, const std::string& group,
                                  const std::string& command) {
  std::vector<std::string> commands;
  for (const auto& [word, descriptor] : index.group_commands(group)) commands.push_back(word);
  throw sdk::Error("MODULE_NOT_FOUND", "group '" + group + "' has no command '" + command +
                                           "'; its commands: " + listed(commands));
}

}  // namespace

std::string summary_of(const rapidjson::Value& descriptor) {
  const std::string description = sdk::get_string(descriptor, "description");
  return description.substr(0, description.find('\n'));
}

CommandTarget find_command(const CommandIndex& index, const std::vector<std::string>& args) {
  const std::string word = args.empty() ? std::string() : args[0];
  if (const auto* module = index.top_level(word)) {
    return CommandTarget{module, "", "apflow " + word, 1};
  }
  if (!index.is_group(word)) unknown_word(index, word);
  // `apflow <group>` alone or followed by an option: the group's help, not a module.
  if (args.size() < 2 || args[1].starts_with("-")) return CommandTarget{nullptr, word, "", 1};
  const auto* module = index.find(word, args[1]);
  if (module == nullptr) unknown_command(index, word, args[1]);
  return CommandTarget{module, word, "apflow " + word + " " + args[1], 2};
}

std::string group_help(const CommandIndex& index, const std::string& group) {
  CLI::App app("Module commands of the group '" + group + "'.", "apflow " + group);
  for (const auto& [command, descriptor] : index.group_commands(group)) {
    app.add_subcommand(command, summary_of(*descriptor));
  }
  app.footer("Run `apflow " + group + " <command> --help` for the flags of a command.");
  return app.help();
}

}  // namespace apflow::plugins::cli
