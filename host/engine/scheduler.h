// Scheduler: runs queued tasks. One loop thread claims ready tasks from the store by priority
// (up to engine.max_parallel at once), starts each as an executor call through the call
// pipeline, and commits what finished in batches (group commit): each batch is one store
// transaction that also settles the dependents. Cancellation reaches running calls at once.
// Large batches of inline tasks go to a second thread, the inline runner (scheduler_inline.cpp),
// so that their runs overlap the loop's writes. The same loop serves one process on SQLite and
// each worker of a cluster.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/event_bus.h"
#include "durability/circuit_breaker.h"
#include "engine/attempt.h"
#include "engine/engine_config.h"
#include "engine/store.h"
#include "engine/tree_tracker.h"
#include "registry/call_pipeline.h"
#include "registry/registry.h"

namespace apflow::engine {

class Scheduler {
 public:
  using WalkKey = std::pair<int64_t, int64_t>;  // a task's place in claim order: (priority, seq)

  Scheduler(const Store& store, const registry::Registry& registry,
            registry::CallPipeline& pipeline, EventBus& events, TreeTracker& trees,
            EngineConfig config, std::shared_ptr<durability::Breakers> breakers);
  ~Scheduler();  // stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Returns expired leases to the queue and starts the loop.
  void start();
  // Stops claiming, interrupts running calls and hands their tasks back to the queue (they run
  // again at the next start), then ends the loop.
  void stop();
  // New work may be ready: claim soon.
  void wake();
  // Interrupts the running calls of these tasks (already cancelled in the store).
  void interrupt(const std::vector<std::string>& task_ids);
  // Publishes events for tasks the store changed (a `changed` array of docs/storage.md) and
  // reports the trees whose run has ended.
  void report_changes(const rapidjson::Value& changed);
  // Returns the tasks of dead processes to the queue, or fails those abandoned more than
  // engine.max_lease_expiries times, and reports what changed; the store's expire_leases
  // response (docs/storage.md).
  rapidjson::Document expire_leases(int64_t now);

  const EngineConfig& config() const noexcept { return config_; }

 private:
  struct Inbox;      // what running calls report; outlives the scheduler if calls linger
  struct Running;    // a task being executed here
  struct Collector;  // the outcomes of an inline batch, reported together

  using Response = std::shared_ptr<const rapidjson::Document>;

  void loop();
  // Adds limit, lease and fields of a claim for up to `free_slots` leased tasks and
  // `inline_room` inline ones; returns the limit.
  size_t add_claim(rapidjson::Value& request, rapidjson::Document::AllocatorType& allocator,
                   size_t free_slots, size_t inline_room) const;
  // What any claim reads: the clock, the fields, and the inline executors with their room.
  void add_ready_reading(rapidjson::Value& request, rapidjson::Document::AllocatorType& allocator,
                         size_t inline_room) const;
  void claim_and_start(size_t free_slots);
  // Starts a claim's tasks and notes when its next retry is due. A large batch of inline tasks
  // goes to the inline runner.
  void start_claimed(const Response& response, size_t limit);
  void note_next_retry(const rapidjson::Value& response);

  // The inline runner (scheduler_inline.cpp): runs the large batches of inline tasks handed to
  // it and, while they come full, claims the next batch itself, so that the store writes one
  // batch's outcomes while the next batch runs on another core.
  void inline_loop();
  // `full`: the batch is as large as its claim allowed, so more may be ready.
  void run_inline(Response batch, bool full);
  // Where the inline runner's claims have got to in claim order ((priority, seq)).
  struct InlineWalk {
    std::optional<WalkKey> cursor;    // the last task the latest claim handed out
    std::optional<WalkKey> furthest;  // the furthest handed out in this run of batches
    void note(std::optional<WalkKey> last);
  };
  // The next batch of ready inline tasks: after the cursor, or from the start passing over those
  // run here and not yet written.
  Response claim_inline(InlineWalk& walk);
  // `leased`: claimed with a lease; else a ready task of an inline executor, which the store
  // hands out unleased and which runs here and now (docs/storage.md, "Inline tasks").
  void start_task(const rapidjson::Value& row, bool leased);
  // The attempt's executor, or null after reporting why it cannot run (unknown, or its
  // breaker open).
  registry::ModulePtr find_executor(const Attempt& attempt);
  registry::CallObserver observe(const Attempt& attempt) const;
  // Commits finished calls and, when told how many slots are free (0: inline tasks only), claims
  // what they made ready in the same transaction.
  void flush_finished(std::vector<AttemptResult> finished, std::optional<size_t> free_slots);
  // The results a flush commits, by task id (pointing into the flushed batch).
  using FinishedById = std::unordered_map<std::string_view, const AttemptResult*>;
  // The finish_tasks request of a flush, written as text (an executor's result goes in as it
  // came); with free slots it claims too, up to `limit` leased tasks.
  std::string finish_request(const std::vector<AttemptResult>& finished, const FinishedById& by_id,
                             std::optional<size_t> free_slots, size_t& limit);
  void flush_progress(std::map<std::string, std::pair<std::string, double>> progress);
  void keep_leases(int64_t now);
  void release_to_queue(const std::vector<std::string>& task_ids);
  std::set<std::string> publish_changes(const rapidjson::Value& changed);

  const Store& store_;
  const registry::Registry& registry_;
  registry::CallPipeline& pipeline_;
  EventBus& events_;
  TreeTracker& trees_;
  EngineConfig config_;
  std::shared_ptr<Inbox> inbox_;
  std::shared_ptr<durability::Breakers> breakers_;  // shared with calls that outlive a stop
  std::unordered_map<std::string, std::shared_ptr<Running>> running_;  // loop + interrupt()
  std::mutex running_mutex_;
  // Inline tasks in running_ (run, outcome not written yet), and a signal when they are
  // written: the inline runner keeps at most one batch ahead of the loop's writing, so memory
  // stays bounded however large the fan-out.
  size_t unwritten_inline_ = 0;
  std::condition_variable inline_written_;
  std::mutex lifecycle_mutex_;  // start() and stop() may come from several threads
  std::thread thread_;
  std::thread inline_thread_;
  std::atomic<bool> stop_requested_{false};    // read by the inline runner between tasks
  std::atomic<bool> inline_rewalk_{false};     // the inline runner's next claim starts over
  size_t loop_inline_room_ = 0;                // inline tasks the loop's next claim may take
  std::vector<std::string> inline_executors_;  // executors whose ready tasks are never leased
  int64_t next_lease_check_ = 0;
  std::mt19937_64 random_{std::random_device{}()};  // backoff jitter (loop thread only)
};

}  // namespace apflow::engine
