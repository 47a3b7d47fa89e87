#include "core/deadline_watcher.h"

#include <vector>

namespace apflow {

DeadlineWatcher::DeadlineWatcher() : thread_([this] { loop(); }) {}

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
  const bool earliest = pending_.empty() || when < pending_.begin()->first;
  pending_.emplace(when, std::make_pair(id, std::move(expired)));
  if (earliest) wake_.notify_all();
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
    if (pending_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const auto next = pending_.begin()->first;
    if (Clock::now() < next) {
      wake_.wait_until(lock, next);
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
