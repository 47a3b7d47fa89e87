// DeadlineWatcher: runs a callback when a deadline passes, on one background thread.
// Used for module-call deadlines (and later task timeouts). Depends on nothing of the host.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace apflow {

class DeadlineWatcher {
 public:
  using Clock = std::chrono::steady_clock;
  using Id = uint64_t;

  // Idle, the thread looks again every `idle_wake`, so a deadline armed at least that far ahead
  // never has to wake it.
  explicit DeadlineWatcher(Clock::duration idle_wake = std::chrono::seconds(1));
  ~DeadlineWatcher();  // stops the thread; pending callbacks are dropped
  DeadlineWatcher(const DeadlineWatcher&) = delete;
  DeadlineWatcher& operator=(const DeadlineWatcher&) = delete;

  // Calls `expired` on the watcher thread once `when` has passed, unless disarmed first.
  Id arm(Clock::time_point when, std::function<void()> expired);
  // Forgets a deadline; harmless when it already fired.
  void disarm(Id id);

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<Clock::time_point, std::pair<Id, std::function<void()>>> pending_;
  // When the thread wakes next by itself; arming a later deadline need not wake it. Most calls
  // end long before their deadline, so most arms then wake nobody.
  Clock::time_point sleeping_until_ = Clock::time_point::max();
  const Clock::duration idle_wake_;
  Id next_id_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace apflow
