// The module calls the explorer started and that have not ended yet, so that stopping the
// server can cancel them instead of leaving them to run unattended.
#pragma once

#include <apflow/sdk/host.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace apflow::plugins::explorer {

class CallsInFlight {
 public:
  explicit CallsInFlight(sdk::Host host);
  ~CallsInFlight() { cancel_all(); }
  CallsInFlight(const CallsInFlight&) = delete;
  CallsInFlight& operator=(const CallsInFlight&) = delete;

  // Calls the module through the host's pipeline (validation, deadline); on_done gets the
  // outcome exactly once, from any thread, possibly before start() returns. A refusal to
  // start arrives through on_done too.
  void start(std::string_view module_id, std::string_view input_json,
             sdk::Invocation::DoneFn on_done);
  // Cancels every call still running; their on_done still arrives.
  void cancel_all() noexcept;

 private:
  // Shared with the on_done callbacks, which may outlive this object.
  struct State {
    std::mutex mutex;
    uint64_t next_id = 0;
    std::map<uint64_t, sdk::Invocation> running;
    std::set<uint64_t> ended_early;  // ended before start() could record them
  };

  sdk::Host host_;
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace apflow::plugins::explorer
