// How module ids become `apflow <group> <command>` words and how schema properties become flags,
// and the index of every module command the registry offers.
#pragma once

#include <apflow/sdk/json.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace apflow::plugins::cli {

struct CommandName {
  std::string group;    // empty for a top-level command
  std::string command;  // never empty
};

// `apflow.task.create_tree` -> {task, create-tree}; `apflow.echo_executor` -> {"", echo-executor}.
CommandName command_name_for(std::string_view module_id);

// `_` -> `-`: the spelling of every command word and flag.
std::string kebab(std::string_view name);

// The flag (without its dashes) of a schema property, or nothing when the property cannot be a
// flag (a name the option parser would refuse); such properties are reachable through --input.
// Names the CLI or the host already use as options get an `arg-` prefix: `input` -> `arg-input`.
std::optional<std::string> flag_name_for(std::string_view property);

// Every module command, from the registry's descriptor list.
class CommandIndex {
 public:
  explicit CommandIndex(const rapidjson::Value& descriptors);

  // The descriptor behind `apflow <command>` (top level) or `apflow <group> <command>`.
  const rapidjson::Value* top_level(std::string_view command) const;
  const rapidjson::Value* find(std::string_view group, std::string_view command) const;
  bool is_group(std::string_view group) const;

  // Command word -> descriptor, sorted by word.
  using Commands = std::map<std::string, const rapidjson::Value*, std::less<>>;
  const Commands& group_commands(std::string_view group) const;
  std::vector<std::string> groups() const;
  std::vector<std::string> top_level_commands() const;
  // Module ids left out because another module already took their command words.
  const std::vector<std::string>& shadowed() const noexcept { return shadowed_; }

 private:
  void add(const rapidjson::Value& descriptor);

  std::map<std::string, Commands, std::less<>> groups_;
  Commands top_level_;
  std::vector<std::string> shadowed_;
};

}  // namespace apflow::plugins::cli
