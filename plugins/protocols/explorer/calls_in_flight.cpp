#include "explorer/calls_in_flight.h"

#include <vector>

namespace apflow::plugins::explorer {

CallsInFlight::CallsInFlight(sdk::Host host) : host_(host) {}

void CallsInFlight::start(std::string_view module_id, std::string_view input_json,
                          sdk::Invocation::DoneFn on_done) {
  uint64_t id = 0;
  {
    std::lock_guard lock(state_->mutex);
    id = ++state_->next_id;
  }
  std::weak_ptr<State> weak = state_;
  auto done = [weak, id, on_done](sdk::CallResult result) {
    if (auto state = weak.lock()) {
      sdk::Invocation finished;  // released outside the lock
      std::lock_guard lock(state->mutex);
      auto it = state->running.find(id);
      if (it == state->running.end()) {
        state->ended_early.insert(id);
      } else {
        finished = std::move(it->second);
        state->running.erase(it);
      }
    }
    on_done(std::move(result));
  };
  sdk::InvokeOptions options;
  options.caller_id = "explorer";
  sdk::Invocation invocation;
  try {
    invocation = host_.invoke(module_id, input_json, std::move(options), done);
  } catch (const sdk::Error& e) {
    on_done(sdk::CallResult{APFLOW_ERROR, {}, e.code(), e.what(), e.details_json()});
    return;
  }
  std::lock_guard lock(state_->mutex);
  if (state_->ended_early.erase(id) == 0) state_->running.emplace(id, std::move(invocation));
}

void CallsInFlight::cancel_all() noexcept {
  std::map<uint64_t, sdk::Invocation> running;
  {
    std::lock_guard lock(state_->mutex);
    running.swap(state_->running);
  }
  // Not under the lock: the host may finish a call inside cancel, and its on_done locks.
  for (auto& [id, invocation] : running) invocation.cancel();
}

}  // namespace apflow::plugins::explorer
