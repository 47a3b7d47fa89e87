#include "plugins/plugin_paths.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <sstream>
#include <system_error>

namespace apflow::plugins {
namespace fs = std::filesystem;

std::filesystem::path current_executable() {
  std::error_code ec;
  auto path = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : path;
}

std::optional<fs::path> builtin_plugin_dir(const fs::path& exe) {
  if (exe.empty()) return std::nullopt;
  const fs::path bin = exe.parent_path();
  const std::array<fs::path, 2> candidates = {bin / APFLOW_RELATIVE_PLUGIN_DIR,
                                              bin / ".." / "lib" / "apflow" / "plugins"};
  for (const auto& candidate : candidates) {
    std::error_code ec;
    if (fs::is_directory(candidate, ec)) return fs::weakly_canonical(candidate, ec);
  }
  return std::nullopt;
}

std::vector<fs::path> plugin_directories(const PluginDirSources& sources) {
  std::vector<fs::path> ordered;
  if (sources.builtin) ordered.push_back(*sources.builtin);
  for (const auto& dir : sources.from_config) ordered.emplace_back(dir);
  std::stringstream env(sources.from_env);
  for (std::string dir; std::getline(env, dir, ':');) {
    if (!dir.empty()) ordered.emplace_back(dir);
  }
  for (const auto& dir : sources.from_flags) ordered.emplace_back(dir);

  std::vector<fs::path> out;
  std::vector<fs::path> seen;
  for (const auto& dir : ordered) {
    std::error_code ec;
    fs::path key = fs::weakly_canonical(fs::absolute(dir, ec), ec);
    if (ec) key = dir.lexically_normal();
    // "/a/plugins/" and "/a/plugins" are one directory.
    if (!key.has_filename() && key.has_parent_path() && key != key.root_path()) {
      key = key.parent_path();
    }
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    out.push_back(key);
  }
  return out;
}

}  // namespace apflow::plugins
