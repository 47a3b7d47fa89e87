#include "command_policy.h"

#include <apflow/sdk/error.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "common/inputs.h"

namespace apflow::plugins::command {
namespace {

namespace fs = std::filesystem;

// PATH lookup with the host's PATH, never the task's: a task must not be able to put its own
// program first under an allowed name.
std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const fs::path candidate = fs::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0 && fs::is_regular_file(candidate)) {
      return candidate.string();
    }
  }
  return {};
}

std::string canonical_or_empty(const std::string& path) {
  std::error_code ec;
  const fs::path out = fs::canonical(path, ec);
  return ec ? std::string() : out.string();
}

}  // namespace

CommandPolicy CommandPolicy::from_config(const rapidjson::Value& config) {
  CommandPolicy policy;
  policy.enabled = sdk::get_bool(config, "enabled", false);
  policy.inherit_environment = sdk::get_bool(config, "inherit_environment", false);
  if (config.IsObject() && config.HasMember("allowed_programs")) {
    for (const auto& item : config["allowed_programs"].GetArray()) {
      if (item.IsString()) policy.allowed_programs.emplace_back(item.GetString());
    }
  }
  policy.default_timeout = common::seconds_to_ms(sdk::get_double(config, "default_timeout", 60));
  policy.max_timeout = common::seconds_to_ms(sdk::get_double(config, "max_timeout", 3600));
  policy.max_output_bytes =
      static_cast<size_t>(sdk::get_int(config, "max_output_bytes", policy.max_output_bytes));
  return policy;
}

std::string CommandPolicy::resolve(const std::string& argv0) const {
  if (!enabled) {
    throw sdk::Error("COMMAND_NOT_ALLOWED",
                     "command_executor is disabled, so '" + argv0 +
                         "' was not run; set plugins.command.enabled: true and list the program "
                         "in plugins.command.allowed_programs in apflow.yaml");
  }
  const bool is_path = argv0.find('/') != std::string::npos;
  const std::string program = is_path ? argv0 : find_on_path(argv0);
  const std::string real = program.empty() ? std::string() : canonical_or_empty(program);
  // A bare allowed name matches that name as typed; an allowed path matches the same file.
  const bool allowed =
      std::any_of(allowed_programs.begin(), allowed_programs.end(), [&](const std::string& a) {
        if (a.find('/') == std::string::npos) return !is_path && a == argv0;
        return !real.empty() && canonical_or_empty(a) == real;
      });
  if (!allowed) {
    throw sdk::Error("COMMAND_NOT_ALLOWED",
                     "program '" + argv0 +
                         "' is not allowed; add it to plugins.command.allowed_programs in "
                         "apflow.yaml (a bare name is looked up on PATH, a path must match "
                         "exactly)");
  }
  if (real.empty() || ::access(real.c_str(), X_OK) != 0) {
    throw sdk::Error("COMMAND_NOT_FOUND", "program '" + argv0 +
                                              "' is allowed but was not found or is not "
                                              "executable; check the name and PATH");
  }
  return real;
}

}  // namespace apflow::plugins::command
