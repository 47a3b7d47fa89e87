// Which programs command_executor may run, from its config section plugins.command: the policy
// is checked before anything starts, and every refusal names the program and the key to set.
#pragma once

#include <apflow/sdk/json.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace apflow::plugins::command {

struct CommandPolicy {
  bool enabled = false;
  std::vector<std::string> allowed_programs;  // bare names (looked up on PATH) or absolute paths
  bool inherit_environment = false;
  std::chrono::milliseconds default_timeout{60000};
  std::chrono::milliseconds max_timeout{3600000};
  size_t max_output_bytes = 1 << 20;

  static CommandPolicy from_config(const rapidjson::Value& config);

  // The absolute path to run for argv0; throws sdk::Error(COMMAND_NOT_ALLOWED) when the
  // executor is disabled or argv0 is not on the allow-list, (COMMAND_NOT_FOUND) when absent.
  std::string resolve(const std::string& argv0) const;
};

}  // namespace apflow::plugins::command
