#include "core/deadline_watcher.h"

#include <vector>

namespace apflow {

DeadlineWatcher::DeadlineWatcher(Clock::duration idle_wake)
    : idle_wake_(idle_wake), thread_([this] { loop(); }) {}

DeadlineWatcher::~DeadlineWatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

DeadlineWatcher::Id DeadlineWatcher::arm(Clock::time_point when, std::function<void()> expired) {
  std::lock_guard lock(mutex_);
  const Id id = next_id_++;
  pending_.emplace(when, std::make_pair(id, std::move(expired)));
  if (when < sleeping_until_) wake_.notify_all();
  return id;
}

void DeadlineWatcher::disarm(Id id) {
  std::lock_guard lock(mutex_);
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (it->second.first == id) {
      pending_.erase(it);
      return;
    }
  }
}

void DeadlineWatcher::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto now = Clock::now();
    const auto idle_until = now + idle_wake_;
    const auto next = pending_.empty() ? idle_until : std::min(pending_.begin()->first, idle_until);
    if (now < next) {
      sleeping_until_ = next;
      wake_.wait_until(lock, next);
      sleeping_until_ = Clock::time_point::min();  // awake: arm() must not count on a sleep
      continue;
    }
    // Run every expired callback outside the lock: they may arm or disarm others.
    std::vector<std::function<void()>> due;
    while (!pending_.empty() && pending_.begin()->first <= Clock::now()) {
      due.push_back(std::move(pending_.begin()->second.second));
      pending_.erase(pending_.begin());
    }
    lock.unlock();
    for (auto& callback : due) callback();
    lock.lock();
  }
}

}  // namespace apflow
