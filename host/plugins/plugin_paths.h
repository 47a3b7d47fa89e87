// Where plugins are looked for, in order: the built-in directory beside the executable, the
// config's plugins.paths, $APFLOW_PLUGIN_PATH (colon-separated), then --plugin-dir flags.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace apflow::plugins {

// The built-in plugin directory for an executable at `exe`, or nothing when none exists:
// <exe dir>/../lib/apflow/plugins (build tree and most installs) or the configured install
// layout relative to the binary.
std::optional<std::filesystem::path> builtin_plugin_dir(const std::filesystem::path& exe);

// The path of the running executable.
std::filesystem::path current_executable();

struct PluginDirSources {
  std::optional<std::filesystem::path> builtin;
  std::vector<std::string> from_config;
  std::string from_env;  // $APFLOW_PLUGIN_PATH, may be empty
  std::vector<std::string> from_flags;
};

// The directories to scan, in order, without duplicates (compared after canonicalisation).
std::vector<std::filesystem::path> plugin_directories(const PluginDirSources& sources);

}  // namespace apflow::plugins
