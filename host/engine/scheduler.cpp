#include "engine/scheduler.h"

#include "engine/scheduler_inbox.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "core/error.h"
#include "core/json_text.h"
#include "engine/clock.h"
#include "engine/events.h"
#include "engine/injection.h"
#include "engine/task_rows.h"

namespace apflow::engine {
namespace {

using rapidjson::Value;

// Inline batches at least this large go to the inline runner; smaller ones (a chain's single
// steps) run on the loop's thread, sparing them a hand-over.
constexpr size_t kInlineHandOver = 64;
// With an inline runner the loop's own claims take at most this many inline tasks: a fan-out's
// first batch reaches the runner sooner, which claims the following ones itself.
constexpr size_t kLoopInlineRoom = 128;

// What starting a task reads of its row; claims ask for these fields only.
constexpr const char* kClaimFields[] = {
    "task_tree_id",  "name",         "params",           "schemas",
    "inputs",        "dependencies", "injection",        "timeout_ms",
    "attempt_count", "max_attempts", "backoff_strategy", "backoff_base_ms",
    "backoff_max_ms"};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "none" : out;
}

}  // namespace

Scheduler::Scheduler(const Store& store, const registry::Registry& registry,
                     registry::CallPipeline& pipeline, EventBus& events, TreeTracker& trees,
                     EngineConfig config, std::shared_ptr<durability::Breakers> breakers)
    : store_(store),
      registry_(registry),
      pipeline_(pipeline),
      events_(events),
      trees_(trees),
      config_(std::move(config)),
      inbox_(std::make_shared<Inbox>()),
      breakers_(std::move(breakers)) {}

Scheduler::~Scheduler() {
  stop();
}

void Scheduler::start() {
  std::lock_guard lock(lifecycle_mutex_);
  if (thread_.joinable()) return;
  inline_executors_.clear();
  for (const auto& id : registry_.executor_ids()) {
    if (auto module = registry_.find_executor(id); module && module->annotations.runs_inline) {
      inline_executors_.push_back(id);
    }
  }
  keep_leases(now_ms());
  // The runner first: the loop reads whether there is one.
  if (!inline_executors_.empty()) inline_thread_ = std::thread([this] { inline_loop(); });
  thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
  std::lock_guard lifecycle(lifecycle_mutex_);
  if (!thread_.joinable()) return;
  std::vector<std::string> ids;
  {
    std::lock_guard lock(inbox_->mutex);
    inbox_->stopping = true;
    inbox_->stop_deadline = now_ms() + 5000;
  }
  stop_requested_ = true;
  inbox_->inline_ready.notify_all();
  {
    std::lock_guard lock(running_mutex_);  // the runner checks stop_requested_ under it
  }
  inline_written_.notify_all();
  {
    std::lock_guard lock(running_mutex_);
    for (const auto& [id, running] : running_) ids.push_back(id);
  }
  interrupt(ids);
  inbox_->changed.notify_all();
  thread_.join();
  if (inline_thread_.joinable()) inline_thread_.join();
  std::vector<std::string> stuck;
  for (const auto& [id, running] : running_) stuck.push_back(id);
  if (!stuck.empty()) release_to_queue(stuck);
}

void Scheduler::wake() {
  inline_rewalk_ = true;
  std::lock_guard lock(inbox_->mutex);
  inbox_->claim_hint = true;
  inbox_->changed.notify_all();
}

void Scheduler::interrupt(const std::vector<std::string>& task_ids) {
  std::vector<std::shared_ptr<registry::ModuleCall>> calls;
  {
    std::lock_guard lock(running_mutex_);
    for (const auto& id : task_ids) {
      auto it = running_.find(id);
      if (it != running_.end() && it->second->call) calls.push_back(it->second->call);
    }
  }
  for (auto& call : calls) call->cancel("the task was cancelled");
}

void Scheduler::loop() {
  while (true) {
    std::vector<AttemptResult> finished;
    std::map<std::string, std::pair<std::string, double>> progress;
    // Set: claim, for up to this many leased tasks (0: inline tasks only).
    std::optional<size_t> free_slots;
    // Inline tasks take no slot: with inline executors there is something to claim even when
    // every slot is taken (unless the inline runner is claiming them itself).
    auto can_claim = [&] {
      return inbox_->running < config_.max_parallel ||
             (!inline_executors_.empty() && !inbox_->inline_busy);
    };
    {
      std::unique_lock lock(inbox_->mutex);
      // A retry that comes due is new ready work, as a finished dependency would be.
      if (inbox_->next_retry_ms != 0 && now_ms() >= inbox_->next_retry_ms) {
        inbox_->next_retry_ms = 0;
        inbox_->claim_hint = true;
        inline_rewalk_ = true;
      }
      const int64_t until_retry =
          inbox_->next_retry_ms == 0
              ? 200
              : std::clamp<int64_t>(inbox_->next_retry_ms - now_ms(), 1, 200);
      inbox_->changed.wait_for(lock, std::chrono::milliseconds(until_retry), [&] {
        return inbox_->stopping || !inbox_->finished.empty() || !inbox_->progress.empty() ||
               (inbox_->claim_hint && can_claim());
      });
      if (inbox_->stopping && inbox_->finished.empty() &&
          ((inbox_->running == 0 && !inbox_->inline_busy) || now_ms() > inbox_->stop_deadline)) {
        break;
      }
      finished.swap(inbox_->finished);
      progress.swap(inbox_->progress);
      if (!inbox_->stopping && inbox_->claim_hint && can_claim()) {
        free_slots = config_.max_parallel - std::min(inbox_->running, config_.max_parallel);
        loop_inline_room_ = inbox_->inline_busy ? 0 : std::min(config_.batch_size, kLoopInlineRoom);
        inbox_->claim_hint = false;
      }
    }
    try {
      if (!finished.empty()) {
        flush_finished(std::move(finished), free_slots);
      } else if (free_slots) {
        claim_and_start(*free_slots);
      }
      if (!progress.empty()) flush_progress(std::move(progress));
      keep_leases(now_ms());
    } catch (const std::exception& e) {
      spdlog::error("scheduler: {}", e.what());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

size_t Scheduler::add_claim(Value& request, rapidjson::Document::AllocatorType& a,
                            size_t free_slots, size_t inline_room) const {
  const size_t limit = std::min(free_slots, config_.batch_size);
  request.AddMember("limit", static_cast<uint64_t>(limit), a);
  request.AddMember("lease_ms", config_.lease_ms, a);
  add_ready_reading(request, a, inline_room);
  return limit;
}

void Scheduler::add_ready_reading(Value& request, rapidjson::Document::AllocatorType& a,
                                  size_t inline_room) const {
  request.AddMember("now_ms", now_ms(), a);
  Value fields(rapidjson::kArrayType);
  for (const char* field : kClaimFields) fields.PushBack(Value(rapidjson::StringRef(field)), a);
  request.AddMember("fields", fields, a);
  if (!inline_executors_.empty()) {
    Value ids(rapidjson::kArrayType);
    for (const auto& id : inline_executors_) ids.PushBack(Value(rapidjson::StringRef(id)), a);
    request.AddMember("inline_executors", ids, a);
    request.AddMember("inline_limit", static_cast<uint64_t>(inline_room), a);
  }
}

void Scheduler::note_next_retry(const Value& response) {
  if (auto next = response.FindMember("next_retry_at");
      next != response.MemberEnd() && next->value.IsInt64()) {
    std::lock_guard lock(inbox_->mutex);
    inbox_->next_retry_ms = next->value.GetInt64();
  }
}

void Scheduler::start_claimed(const Response& response, size_t limit) {
  note_next_retry(*response);
  const Value& tasks = (*response)["tasks"];
  auto inline_tasks = response->FindMember("inline");
  const size_t inline_count =
      inline_tasks == response->MemberEnd() ? 0 : inline_tasks->value.Size();
  // Large enough to be worth a hand-over (a chain's single tasks run here, with no wake-up).
  const bool hand_over = inline_count >= kInlineHandOver && inline_thread_.joinable();
  const bool more_inline = inline_count == config_.batch_size && !hand_over;
  if ((limit > 0 && tasks.Size() == limit) || more_inline) wake();  // there may be more
  // Leased tasks go to workers first, to run while the inline ones run.
  for (const Value& row : tasks.GetArray()) start_task(row, true);
  if (inline_count == 0) return;
  if (hand_over) {
    std::lock_guard lock(inbox_->mutex);
    inbox_->inline_batch = response;
    inbox_->inline_batch_full = inline_count >= loop_inline_room_;
    inbox_->inline_busy = true;
    inbox_->inline_ready.notify_all();
    return;
  }
  for (const Value& row : inline_tasks->value.GetArray()) start_task(row, false);
}

void Scheduler::claim_and_start(size_t free_slots) {
  rapidjson::Document request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  request.AddMember("node", Value(config_.node_id.c_str(), a), a);
  const size_t limit = add_claim(request, a, free_slots, loop_inline_room_);
  start_claimed(store_.call_shared(Store::Op::kClaimTasks, request), limit);
}

void Scheduler::start_task(const Value& row, bool leased) {
  Attempt attempt = read_attempt(row, config_);
  attempt.leased = leased;
  if (!leased) {
    // Still pending in the store while it runs: a claim before its outcome is committed hands
    // it out again (an inline executor that answered asynchronously). It runs once here.
    std::lock_guard lock(running_mutex_);
    if (running_.contains(attempt.task_id)) return;
  }
  auto running = std::make_shared<Running>();
  running->id = attempt.task_id;
  running->tree_id = attempt.tree_id;
  running->name = attempt.name;
  running->leased = leased;
  trees_.track(attempt.tree_id);
  if (leased) {
    std::lock_guard lock(inbox_->mutex);
    ++inbox_->running;  // an inline task takes no slot
  }
  publish(events_, TaskEvent{.type = "task_started",
                             .task_id = attempt.task_id,
                             .tree_id = attempt.tree_id,
                             .name = attempt.name,
                             .status = "in_progress"});
  const auto module = find_executor(attempt);
  if (!module) return;
  const Value null_value;
  auto member_or_null = [&](const char* key) -> const Value& {
    auto it = row.FindMember(key);
    return it == row.MemberEnd() ? null_value : it->value;
  };
  auto inputs = inject_results(member_or_null("inputs"), member_or_null("dependencies"),
                               member_or_null("dependency_results"), rows::text(row, "injection"),
                               attempt.executor_id, &module->input_schema.document());
  registry::CallRequest request;
  request.module_id = module->id;
  request.input_json = json_text(inputs);
  request.timeout_ms = attempt.timeout_ms;
  request.identity.task_id = attempt.task_id;
  request.identity.trace_id = attempt.tree_id;
  request.identity.attempt = attempt.number;
  request.identity.idempotency_key = attempt.task_id + "#" + std::to_string(attempt.number);
  request.checkpoints = checkpoints_for(store_, attempt.task_id);
  request.allow_inline = true;
  {
    std::lock_guard lock(running_mutex_);
    auto& slot = running_[attempt.task_id];
    if (slot && !slot->leased) --unwritten_inline_;
    slot = running;
    if (!leased) ++unwritten_inline_;
  }
  auto call = pipeline_.start(std::move(request), observe(attempt));
  std::lock_guard lock(running_mutex_);  // interrupt() reads it from other threads
  running->call = std::move(call);
}

registry::ModulePtr Scheduler::find_executor(const Attempt& attempt) {
  auto fail_now = [&](std::string error) {
    inbox_->push(attempt.failed_before_start(std::move(error)));
    return nullptr;
  };
  if (attempt.executor_id.empty()) {
    return fail_now(
        "Executor ID not specified for task " + attempt.task_id +
        "; set params.executor_id (available executors: " + join(registry_.executor_ids()) + ")");
  }
  auto module = registry_.find_executor(attempt.executor_id);
  if (!module) {
    return fail_now("Executor '" + attempt.executor_id + "' could not be loaded for task " +
                    attempt.task_id + "; available executors: " + join(registry_.executor_ids()));
  }
  if (int64_t probe_at = 0; !breakers_->allow(attempt.executor_id, &probe_at)) {
    const int64_t wait_ms = std::max<int64_t>(0, probe_at - breakers_->now());
    AttemptResult held = attempt.failed_before_start(
        "Circuit breaker for executor '" + attempt.executor_id + "' is open after " +
        std::to_string(breakers_->config().failure_threshold) +
        " failures in a row; a probe may run in " + std::to_string(wait_ms) + " ms");
    if (!config_.fail_when_breaker_open) held.wait_until = now_ms() + wait_ms;
    inbox_->push(std::move(held));
    return nullptr;
  }
  return module;
}

registry::CallObserver Scheduler::observe(const Attempt& attempt) const {
  registry::CallObserver observer;
  observer.on_progress = [inbox = inbox_, task_id = attempt.task_id, tree_id = attempt.tree_id](
                             double fraction, std::string_view) {
    std::lock_guard lock(inbox->mutex);
    inbox->progress[task_id] = {tree_id, fraction};
    inbox->changed.notify_all();
  };
  observer.on_done = [inbox = inbox_, breakers = breakers_,
                      attempt](const registry::CallOutcome& outcome) {
    // The breaker hears how the executor fared; bad input or a cancellation says nothing of it.
    if (outcome.ok()) {
      breakers->record_success(attempt.executor_id);
    } else if (!says_nothing_of_executor(outcome)) {
      breakers->record_failure(attempt.executor_id);
    }
    auto result = attempt.ended(outcome);
    if (!inbox->collect(result)) inbox->push(std::move(result));
  };
  return observer;
}

}  // namespace apflow::engine
