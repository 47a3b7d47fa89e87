// Temp directories, config files and an injected Environment for the config tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "config/config.h"
#include "core/error.h"

namespace apflow::config::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "apflow-config-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `text` to `relative` (creating directories) and returns the full path.
  std::filesystem::path write(const std::filesystem::path& relative,
                              const std::string& text) const {
    auto full = path_ / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full) << text;
    return full;
  }

 private:
  std::filesystem::path path_;
};

// An environment rooted in `dir`: cwd = dir/work, home = dir/home, no variables.
inline Environment environment_in(const TempDir& dir) {
  Environment env;
  env.cwd = dir.path() / "work";
  env.home = dir.path() / "home";
  std::filesystem::create_directories(env.cwd);
  std::filesystem::create_directories(env.home);
  return env;
}

// Loads a config whose file (in cwd) holds `yaml`.
inline Config load_yaml(const TempDir& dir, const std::string& yaml, Environment env) {
  dir.write("work/apflow.yaml", yaml);
  LoadOptions options;
  options.env = std::move(env);
  return Config::load(options);
}

// The message of the apflow::Error that `action` throws, checking its code.
inline std::string error_of(const std::function<void()>& action, std::string_view code) {
  try {
    action();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), code) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "no error thrown";
  return {};
}

}  // namespace apflow::config::testing
