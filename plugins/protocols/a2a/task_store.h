// The A2A tasks of this server, in memory: bounded in number, and forgotten a while after they
// end, so that a long-running server does not grow without end.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "a2a/a2a_task.h"

namespace apflow::plugins::a2a {

struct TaskLimits {
  size_t max_tasks = 10000;
  std::chrono::seconds keep_finished{std::chrono::hours(1)};
};

class TaskStore {
 public:
  explicit TaskStore(TaskLimits limits = {}) : limits_(limits) {}

  // Creates a task (not started) under a new random id. Returns null when max_tasks are
  // running: finished ones are dropped, oldest first, to make room.
  std::shared_ptr<A2aTask> create(sdk::Host host, SendRequest request);
  std::shared_ptr<A2aTask> find(const std::string& id) const;
  // Stops every running call (server shutdown).
  void abort_all();
  size_t size() const;

 private:
  void sweep();  // under the lock

  TaskLimits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<A2aTask>> tasks_;
};

// A random id in the UUID v4 form.
std::string new_task_id();

}  // namespace apflow::plugins::a2a
