// Runs one program (no shell) in its own process group and collects its output, with a time
// limit, output limits and a cancellation check; the whole group is killed when it stops.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace apflow::plugins::command {

struct ChildSpec {
  std::string program;            // absolute path, already checked against the allow-list
  std::vector<std::string> argv;  // argv[0] as the user gave it
  std::vector<std::string> env;   // "NAME=value" entries: the child's whole environment
  std::string cwd;                // empty: the host's working directory
  std::string stdin_text;         // written to the child's stdin, which is then closed
  std::chrono::milliseconds timeout{60000};
  size_t max_output_bytes = 1 << 20;  // per stream; the rest is read and dropped
};

struct ChildOutcome {
  int exit_code = -1;  // 128 + signal when killed by a signal, as shells report it
  int signal = 0;      // the signal that ended the process, 0 when it exited
  std::string out, err;
  bool out_truncated = false, err_truncated = false;
  bool timed_out = false, cancelled = false;
  std::chrono::milliseconds duration{0};
};

// Throws std::system_error when the program cannot be started (errno names why).
ChildOutcome run_child(const ChildSpec& spec, const std::function<bool()>& cancelled);

}  // namespace apflow::plugins::command
