#include "cli/command_names.h"

#include <array>
#include <cctype>

namespace apflow::plugins::cli {
namespace {

constexpr std::string_view kNamespace = "apflow.";

// Options the CLI itself defines, plus the global options the host reads from anywhere on the
// command line: a property with one of these names would never reach the module.
constexpr std::array<std::string_view, 10> kReservedFlags = {
    "input",      "format",    "timeout", "help",    "config",
    "plugin-dir", "log-level", "db",      "version", "h"};

// The option parser accepts letters and digits first, then also `.` and `-`.
bool usable_flag(std::string_view flag) {
  if (flag.empty() || std::isalnum(static_cast<unsigned char>(flag.front())) == 0) return false;
  for (char c : flag) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '.') return false;
  }
  return true;
}

const CommandIndex::Commands kNoCommands;

}  // namespace

std::string kebab(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c == '_') c = '-';
  }
  return out;
}

CommandName command_name_for(std::string_view module_id) {
  if (module_id.starts_with(kNamespace)) module_id.remove_prefix(kNamespace.size());
  const auto dot = module_id.find('.');
  if (dot == std::string_view::npos) return CommandName{"", kebab(module_id)};
  return CommandName{kebab(module_id.substr(0, dot)), kebab(module_id.substr(dot + 1))};
}

std::optional<std::string> flag_name_for(std::string_view property) {
  std::string flag = kebab(property);
  if (!usable_flag(flag)) return std::nullopt;
  for (auto reserved : kReservedFlags) {
    if (flag == reserved) return "arg-" + flag;
  }
  return flag;
}

CommandIndex::CommandIndex(const rapidjson::Value& descriptors) {
  if (descriptors.IsArray()) {
    for (const auto& descriptor : descriptors.GetArray()) add(descriptor);
  }
  // `apflow <word>` cannot be both a group and a command: the group keeps the word.
  for (auto it = top_level_.begin(); it != top_level_.end();) {
    if (groups_.contains(it->first)) {
      shadowed_.push_back(sdk::get_string(*it->second, "module_id"));
      it = top_level_.erase(it);
    } else {
      ++it;
    }
  }
}

void CommandIndex::add(const rapidjson::Value& descriptor) {
  const std::string id = sdk::get_string(descriptor, "module_id");
  if (id.empty()) return;
  const CommandName name = command_name_for(id);
  Commands& slot = name.group.empty() ? top_level_ : groups_[name.group];
  // The registry lists modules in id order, so the first claimant of a word keeps it.
  if (!slot.emplace(name.command, &descriptor).second) shadowed_.push_back(id);
}

const rapidjson::Value* CommandIndex::top_level(std::string_view command) const {
  const auto it = top_level_.find(command);
  return it == top_level_.end() ? nullptr : it->second;
}

const rapidjson::Value* CommandIndex::find(std::string_view group, std::string_view command) const {
  const Commands& commands = group_commands(group);
  const auto it = commands.find(command);
  return it == commands.end() ? nullptr : it->second;
}

bool CommandIndex::is_group(std::string_view group) const {
  return groups_.find(group) != groups_.end();
}

const CommandIndex::Commands& CommandIndex::group_commands(std::string_view group) const {
  const auto it = groups_.find(group);
  return it == groups_.end() ? kNoCommands : it->second;
}

std::vector<std::string> CommandIndex::groups() const {
  std::vector<std::string> out;
  for (const auto& [group, commands] : groups_) out.push_back(group);
  return out;
}

std::vector<std::string> CommandIndex::top_level_commands() const {
  std::vector<std::string> out;
  for (const auto& [command, descriptor] : top_level_) out.push_back(command);
  return out;
}

}  // namespace apflow::plugins::cli
