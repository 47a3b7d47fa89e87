// RunWaiters: the callers of a waiting execute, answered when their tree's run ends or their
// time is up, from a thread of their own. A caller that blocked a worker for the whole run
// would hold the very workers its tree's tasks need: a dozen agents waiting at once starved
// every run until their waits timed out.
//
// Thread safety: every member may be called from any thread; an answer runs once, on the
// waiter thread (or, from answer_all, on the caller's).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "core/deadline_watcher.h"
#include "core/event_bus.h"

namespace apflow::engine {

class RunWaiters {
  struct Wait;

 public:
  using Clock = DeadlineWatcher::Clock;
  using Ticket = std::shared_ptr<Wait>;

  explicit RunWaiters(EventBus& events) : events_(events) {}
  ~RunWaiters();  // forgets the waits still pending (answer_all first to answer them)
  RunWaiters(const RunWaiters&) = delete;
  RunWaiters& operator=(const RunWaiters&) = delete;

  // Starts listening for the end of `tree_id`'s run. Call it before the run is queued, so an
  // end that comes at once is not missed.
  Ticket watch(const std::string& tree_id);
  // Stops listening: the run did not start.
  void forget(const Ticket& ticket);
  // Calls `answer` once, when the run ends (at once if it has already) or at `deadline`.
  void answer_when_ended(const Ticket& ticket, Clock::time_point deadline,
                         std::function<void()> answer);
  // Answers every pending wait now, on this thread: the engine stops and no run will end.
  void answer_all();

 private:
  void ended(const Ticket& ticket);
  void answer(const Ticket& ticket);
  DeadlineWatcher& timer();  // started on first use: most engines never wait

  EventBus& events_;
  std::mutex mutex_;
  std::set<Ticket> pending_;
  std::once_flag timer_started_;
  // Declared last: its thread stops first, before what its callbacks use.
  std::unique_ptr<DeadlineWatcher> timer_;
};

}  // namespace apflow::engine
