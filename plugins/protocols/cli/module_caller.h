// Calls modules through the host's pipeline and waits for the outcome, cancelling the call when
// the user asks the command to stop (Ctrl-C).
#pragma once

#include <apflow/sdk/host.h>

#include <atomic>
#include <cstdint>
#include <string>

namespace apflow::plugins::cli {

struct CallOutcome {
  bool ok = false;
  bool interrupted = false;  // cancelled because the command was asked to stop
  std::string output;        // the result object as JSON text, when ok
  std::string code, message, details;
};

class ModuleCaller {
 public:
  // `stop` is set from the host's signal thread; it must outlive the caller.
  ModuleCaller(sdk::Host host, const std::atomic<bool>& stop) : host_(host), stop_(stop) {}

  // Calls `module_id` with `input_json`; timeout_ms 0 means the configured default. When
  // `stoppable`, a stop request cancels the call (outcome.interrupted).
  CallOutcome call(const std::string& module_id, const std::string& input_json,
                   int64_t timeout_ms = 0, bool stoppable = true) const;

  const sdk::Host& host() const noexcept { return host_; }
  bool stop_requested() const noexcept { return stop_.load(); }

 private:
  sdk::Host host_;
  const std::atomic<bool>& stop_;
};

}  // namespace apflow::plugins::cli
