// The scheduler's private parts shared by its two halves (scheduler.cpp starts attempts,
// scheduler_commit.cpp writes them back): what running calls report, and a call in flight.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/attempt.h"
#include "engine/scheduler.h"
#include "registry/module_call.h"

namespace apflow::engine {

struct Scheduler::Inbox {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<AttemptResult> finished;
  std::map<std::string, std::pair<std::string, double>> progress;  // task → (tree, fraction)
  size_t running = 0;
  int64_t next_retry_ms = 0;  // when a retry waiting in the queue is due (0: none known)
  bool claim_hint = true;
  bool stopping = false;
  int64_t stop_deadline = 0;

  void push(AttemptResult f) {
    std::lock_guard lock(mutex);
    f.interrupted_by_stop = stopping && f.status == "cancelled";
    finished.push_back(std::move(f));
    --running;
    claim_hint = true;
    changed.notify_all();
  }
};

struct Scheduler::Running {
  std::string id, tree_id, name;
  std::shared_ptr<registry::ModuleCall> call;
};

}  // namespace apflow::engine
