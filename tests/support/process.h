// Runs a program the way a user would and captures what it printed (test support only).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace apflow::testing {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  std::string out;
  std::string err;
};

struct ProcessOptions {
  std::map<std::string, std::string> env{};  // added to (or replacing) the inherited environment
  std::vector<std::string> unset_env{};      // removed from the inherited environment
  std::string cwd{};                         // empty: inherit
  std::string stdin_text{};
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};  // killed after this
  // Sends signal_number (when not 0) to the child once its stdout or stderr contains
  // signal_after_output (at once when that is empty), then goes on reading as usual.
  int signal_number = 0;
  std::string signal_after_output{};
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Paths the build passes in: the apflow binary and test plugin directories.
std::string apflow_binary();

}  // namespace apflow::testing
