// Engine: apflow's task engine — task trees stored durably, run by priority with fan-in and
// result injection, cancelled live, reused by link, copy, archive and mixed clones. Every
// operation here is what one apflow.task.* module does (host/modules adapts them): inputs and
// outputs are the modules' JSON objects, errors are apflow::Error with a clear message.
//
// The store is the truth and is opened on first use (so `apflow info` never touches it).
// Depends on core, registry (to run executors) and the storage ABI; knows no SQL.
#pragma once

#include <apflow/abi.h>
#include <rapidjson/document.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/event_bus.h"
#include "engine/engine_config.h"
#include "engine/run_waiters.h"
#include "engine/scheduler.h"
#include "engine/store.h"
#include "engine/task_rows.h"
#include "engine/task_status.h"
#include "engine/tree_tracker.h"
#include "registry/call_pipeline.h"
#include "registry/registry.h"

namespace apflow::engine {

class RunPlanner;
struct RunSet;

using Json = rapidjson::Document;
using rapidjson::Value;

class Engine {
 public:
  // Opens the store when the engine is first used; throws Error when it cannot.
  using StoreFactory = std::function<std::unique_ptr<Store>()>;

  Engine(const registry::Registry& registry, registry::CallPipeline& pipeline, EventBus& events,
         EngineConfig config, StoreFactory open_store);
  ~Engine();  // stop()
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Opens the store and starts running queued work (long-running commands call this at start,
  // so a bad database path stops them before they serve). execute() starts it too. Idempotent.
  void start();
  // Stops the scheduler; running tasks go back to the queue for the next start.
  void stop();

  // ---- creation (reference §2) ----
  Json create_tree(
      const Value& input);  // {tasks, failure_policy?, injection?, parent_after_children?}
  Json create_task(const Value& input);  // apflow.task.create
  // ---- running ----
  Json execute(const Value& input);  // {task_id, wait?, timeout_ms?, rerun?}
  // execute() for a caller that must not block while the run goes on: `answer` is called once
  // with a function that gives the result (or throws its error) — before execute_then returns
  // unless the input waits, otherwise from the engine's waiter thread when the tree's run ends
  // or timeout_ms has passed. Errors found before the run starts are thrown.
  using ExecuteAnswer = std::function<void(const std::function<Json()>& result)>;
  void execute_then(const Value& input, ExecuteAnswer answer);
  Json cancel(const Value& input);  // {task_ids, error_message?}
  // ---- reading and editing ----
  Json get(const Value& input);       // {task_id}
  Json list(const Value& input);      // {status?, user_id?, limit?, offset?}
  Json tree(const Value& input);      // {task_id}
  Json children(const Value& input);  // {task_id}
  Json running(const Value& input);   // {user_id?, limit?}
  // get() with its JSON text, cut from the store's own text when it can be (apflow.task.get
  // answers with it: no document written again).
  rows::ShownTask get_shown(const Value& input);
  // ---- schedules (reference §10) ----
  Json scheduled(const Value& input);  // {enabled_only?, user_id?, schedule_type?, status?, ...}
  // Starts every scheduled task that is due now (the poller calls this too); {limit?}.
  Json run_due(const Value& input);
  // ---- durability ----
  Json breakers(const Value& input);    // {} → the circuit breakers of this process
  Json checkpoint(const Value& input);  // {task_id} → the checkpoint its next attempt resumes
  Json update(const Value& input);      // {task_id, fields...}
  Json remove(const Value& input);      // {task_id, cascade?}
  // ---- reuse (reference §2.2, with the [REC] fixes) ----
  Json link(const Value& input);
  Json copy(const Value& input);
  Json archive(const Value& input);
  Json clone_mixed(const Value& input);

  // The store, opened on first use (without starting the scheduler); throws when it cannot.
  const Store& store();

 private:
  Json clone(const Value& input, const std::string& mode);
  void check_not_running(const std::string& tree_id, int64_t now);
  // Returns the tasks of dead processes to the queue, or fails those abandoned more than
  // engine.max_lease_expiries times (publishing it); returns the ids failed so.
  std::vector<std::string> expire_leases(int64_t now);
  bool is_executing(const std::string& tree_id);
  void poll_schedules();  // the poller thread: run_due() every schedule_poll_ms until stop()
  void set_executing(const std::set<std::string>& trees, bool on);
  // Plans the execution of `target` and queues it; returns how many tasks it queued (0: nothing
  // to run).
  uint64_t plan_and_queue(const Value& target, bool rerun_all,
                          const std::vector<std::string>& selected,
                          const std::vector<std::string>& abandoned);
  // Queues the run as planned, its progress tracker built beside the store's work.
  void queue_planned(const RunPlanner& planner, const RunSet& run);

  const registry::Registry& registry_;
  registry::CallPipeline& pipeline_;
  EventBus& events_;
  EngineConfig config_;
  StoreFactory open_store_;
  std::once_flag opened_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<TreeTracker> trees_;
  std::shared_ptr<durability::Breakers> breakers_;
  std::unique_ptr<Scheduler> scheduler_;
  std::mutex execute_mutex_;               // one execute decision at a time
  std::mutex executing_mutex_;             // guards executing_; never held while publishing
  std::set<std::string> executing_;        // trees executed here whose run has not ended
  std::optional<EventBus::Id> run_watch_;  // clears executing_ on tree_* events
  RunWaiters waiters_;                     // executes waiting for their run to end
  std::thread poller_;                     // started by start() when schedules are polled
  std::mutex poller_mutex_;
  std::condition_variable poller_wake_;
  bool poller_stop_ = false;
};

}  // namespace apflow::engine
