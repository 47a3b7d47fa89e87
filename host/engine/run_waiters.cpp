#include "engine/run_waiters.h"

#include <vector>

namespace apflow::engine {

struct RunWaiters::Wait {
  std::mutex mutex;
  bool ended = false;
  bool answered = false;
  std::function<void()> answer;  // set once the run is queued
  EventBus::Id subscription = 0;
  DeadlineWatcher::Id deadline = 0;
};

RunWaiters::~RunWaiters() {
  std::set<Ticket> pending;
  {
    std::lock_guard lock(mutex_);
    pending.swap(pending_);
  }
  for (const auto& wait : pending) events_.unsubscribe(wait->subscription);
}

DeadlineWatcher& RunWaiters::timer() {
  std::call_once(timer_started_, [this] { timer_ = std::make_unique<DeadlineWatcher>(); });
  return *timer_;
}

RunWaiters::Ticket RunWaiters::watch(const std::string& tree_id) {
  auto wait = std::make_shared<Wait>();
  {
    std::lock_guard lock(mutex_);
    pending_.insert(wait);
  }
  wait->subscription = events_.subscribe(
      tree_id, [this, wait](std::string_view) { ended(wait); }, /*ends_only=*/true);
  return wait;
}

void RunWaiters::forget(const Ticket& ticket) {
  events_.unsubscribe(ticket->subscription);
  std::lock_guard lock(mutex_);
  pending_.erase(ticket);
}

void RunWaiters::answer_when_ended(const Ticket& ticket, Clock::time_point deadline,
                                   std::function<void()> answer) {
  // Under the wait's lock: a timer that fires at once waits for `deadline` to be recorded.
  std::lock_guard lock(ticket->mutex);
  ticket->answer = std::move(answer);
  ticket->deadline = timer().arm(ticket->ended ? Clock::now() : deadline,
                                 [this, ticket] { this->answer(ticket); });
}

// On the publishing thread (the scheduler's): hands the answer to the waiter thread.
void RunWaiters::ended(const Ticket& ticket) {
  {
    std::lock_guard lock(ticket->mutex);
    if (ticket->ended) return;
    ticket->ended = true;
    if (!ticket->answer) return;  // not queued yet: answer_when_ended answers at once
  }
  timer().arm(Clock::now(), [this, ticket] { answer(ticket); });
}

void RunWaiters::answer(const Ticket& ticket) {
  std::function<void()> answer;
  DeadlineWatcher::Id deadline = 0;
  {
    std::lock_guard lock(ticket->mutex);
    if (ticket->answered || !ticket->answer) return;
    ticket->answered = true;
    answer = std::move(ticket->answer);
    deadline = ticket->deadline;
  }
  events_.unsubscribe(ticket->subscription);
  timer().disarm(deadline);
  {
    std::lock_guard lock(mutex_);
    pending_.erase(ticket);
  }
  answer();
}

void RunWaiters::answer_all() {
  std::vector<Ticket> pending;
  {
    std::lock_guard lock(mutex_);
    pending.assign(pending_.begin(), pending_.end());
  }
  for (const auto& ticket : pending) answer(ticket);
}

}  // namespace apflow::engine
