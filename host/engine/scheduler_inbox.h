// The scheduler's private parts shared by its two halves (scheduler.cpp starts attempts,
// scheduler_commit.cpp writes them back): what running calls report, and a call in flight.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <rapidjson/document.h>

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

  // The inline runner (scheduler_inline.cpp): a large batch of inline tasks handed to it, and
  // whether it has one (then it also claims the next batches itself, and the loop's own claims
  // take no inline task).
  std::condition_variable inline_ready;
  std::shared_ptr<const rapidjson::Document> inline_batch;  // a claim's response: its "inline"
  bool inline_batch_full = false;  // as many as the claim asked for: there may be more
  bool inline_busy = false;

  void push(AttemptResult f) {
    std::lock_guard lock(mutex);
    add(std::move(f));
    changed.notify_all();
  }
  // On the inline runner's thread while it runs a batch: an outcome reported there (an inline
  // executor answers before its call returns) joins the batch's, reported in one push.
  bool collect(AttemptResult& f) {
    if (collecting_for != this || collecting == nullptr) return false;
    collecting->push_back(std::move(f));
    return true;
  }
  inline static thread_local const Inbox* collecting_for = nullptr;
  inline static thread_local std::vector<AttemptResult>* collecting = nullptr;

  // A batch of outcomes, one wake-up for them all.
  void push_all(std::vector<AttemptResult> batch) {
    if (batch.empty()) return;
    std::lock_guard lock(mutex);
    for (auto& f : batch) add(std::move(f));
    changed.notify_all();
  }

 private:
  void add(AttemptResult f) {
    f.interrupted_by_stop = stopping && f.status == "cancelled";
    if (f.leased) --running;  // an inline task takes no slot
    finished.push_back(std::move(f));
    claim_hint = true;
  }
};

struct Scheduler::Running {
  std::string id, tree_id, name;
  bool leased = true;  // false: an inline task, still ready in the store until written
  std::shared_ptr<registry::ModuleCall> call;
};

}  // namespace apflow::engine
