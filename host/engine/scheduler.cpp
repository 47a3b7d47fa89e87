#include "engine/scheduler.h"

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

// params.executor_id, else schemas.method (reference §1.2).
std::string executor_of(const Value& row) {
  for (const auto& [object, key] : {std::pair{"params", "executor_id"}, {"schemas", "method"}}) {
    auto it = row.FindMember(object);
    if (it != row.MemberEnd() && it->value.IsObject()) {
      std::string id = rows::text(it->value, key);
      if (!id.empty()) return id;
    }
  }
  return {};
}

// What starting a task reads of its row; claims ask for these fields only.
constexpr const char* kClaimFields[] = {
    "task_tree_id",  "name",         "params",           "schemas",
    "inputs",        "dependencies", "injection",        "timeout_ms",
    "attempt_count", "max_attempts", "backoff_strategy", "backoff_base_ms",
    "backoff_max_ms"};

// The task's own backoff where it sets one, the configured one otherwise.
durability::RetryPolicy retry_policy_of(const Value& row, durability::RetryPolicy policy) {
  if (auto backoff = durability::parse_backoff(rows::text(row, "backoff_strategy"))) {
    policy.backoff = *backoff;
  }
  for (auto [key, field] : {std::pair{"backoff_base_ms", &policy.base_ms},
                            std::pair{"backoff_max_ms", &policy.max_ms}}) {
    auto it = row.FindMember(key);
    if (it != row.MemberEnd() && it->value.IsInt64()) *field = it->value.GetInt64();
  }
  return policy;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "none" : out;
}

}  // namespace

struct Scheduler::Finished {
  std::string id, tree_id, name;
  std::string status;       // completed, failed or cancelled
  std::string result_json;  // when completed
  std::string error;
  bool interrupted_by_stop = false;
  // A failed attempt runs again after a backoff while attempts are left and the error allows.
  bool retryable = false;
  uint32_t attempt = 1, max_attempts = 1;
  durability::RetryPolicy policy{};
  int64_t wait_until = 0;  // held back by an open breaker: queued again, the attempt not counted
};

struct Scheduler::Inbox {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Finished> finished;
  std::map<std::string, std::pair<std::string, double>> progress;  // task → (tree, fraction)
  size_t running = 0;
  int64_t next_retry_ms = 0;  // when a retry waiting in the queue is due (0: none known)
  bool claim_hint = true;
  bool stopping = false;
  int64_t stop_deadline = 0;

  void push(Finished f) {
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
  keep_leases(now_ms());
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
  {
    std::lock_guard lock(running_mutex_);
    for (const auto& [id, running] : running_) ids.push_back(id);
  }
  interrupt(ids);
  inbox_->changed.notify_all();
  thread_.join();
  std::vector<std::string> stuck;
  for (const auto& [id, running] : running_) stuck.push_back(id);
  if (!stuck.empty()) release_to_queue(stuck);
}

void Scheduler::wake() {
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
    std::vector<Finished> finished;
    std::map<std::string, std::pair<std::string, double>> progress;
    size_t free_slots = 0;
    {
      std::unique_lock lock(inbox_->mutex);
      // A retry that comes due is new ready work, as a finished dependency would be.
      if (inbox_->next_retry_ms != 0 && now_ms() >= inbox_->next_retry_ms) {
        inbox_->next_retry_ms = 0;
        inbox_->claim_hint = true;
      }
      const int64_t until_retry =
          inbox_->next_retry_ms == 0
              ? 200
              : std::clamp<int64_t>(inbox_->next_retry_ms - now_ms(), 1, 200);
      inbox_->changed.wait_for(lock, std::chrono::milliseconds(until_retry), [&] {
        return inbox_->stopping || !inbox_->finished.empty() || !inbox_->progress.empty() ||
               (inbox_->claim_hint && inbox_->running < config_.max_parallel);
      });
      if (inbox_->stopping && inbox_->finished.empty() &&
          (inbox_->running == 0 || now_ms() > inbox_->stop_deadline)) {
        break;
      }
      finished.swap(inbox_->finished);
      progress.swap(inbox_->progress);
      if (!inbox_->stopping && inbox_->claim_hint && inbox_->running < config_.max_parallel) {
        free_slots = config_.max_parallel - inbox_->running;
        inbox_->claim_hint = false;
      }
    }
    try {
      if (!finished.empty()) {
        flush_finished(std::move(finished), free_slots);
      } else if (free_slots > 0) {
        claim_and_start(free_slots);
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
                            size_t free_slots) const {
  const size_t limit = std::min(free_slots, config_.batch_size);
  request.AddMember("limit", static_cast<uint64_t>(limit), a);
  request.AddMember("lease_ms", config_.lease_ms, a);
  request.AddMember("now_ms", now_ms(), a);
  Value fields(rapidjson::kArrayType);
  for (const char* field : kClaimFields) fields.PushBack(Value(rapidjson::StringRef(field)), a);
  request.AddMember("fields", fields, a);
  return limit;
}

void Scheduler::start_claimed(const Value& response, size_t limit) {
  if (auto next = response.FindMember("next_retry_at");
      next != response.MemberEnd() && next->value.IsInt64()) {
    std::lock_guard lock(inbox_->mutex);
    inbox_->next_retry_ms = next->value.GetInt64();
  }
  const Value& tasks = response["tasks"];
  if (tasks.Size() == limit) wake();  // there may be more ready work
  for (const Value& row : tasks.GetArray()) start_task(row);
}

void Scheduler::claim_and_start(size_t free_slots) {
  rapidjson::Document request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  request.AddMember("node", Value(config_.node_id.c_str(), a), a);
  const size_t limit = add_claim(request, a, free_slots);
  auto response = store_.call(Store::Op::kClaimTasks, request);
  start_claimed(response, limit);
}

void Scheduler::start_task(const Value& row) {
  auto running = std::make_shared<Running>();
  running->id = rows::text(row, "id");
  running->tree_id = rows::text(row, "task_tree_id");
  running->name = rows::text(row, "name");
  trees_.track(running->tree_id);
  {
    std::lock_guard lock(inbox_->mutex);
    ++inbox_->running;
  }
  events_.publish(running->tree_id, to_json(TaskEvent{.type = "task_started",
                                                      .task_id = running->id,
                                                      .tree_id = running->tree_id,
                                                      .name = running->name,
                                                      .status = "in_progress"}));
  auto fail_now = [&](std::string error) {
    inbox_->push(
        Finished{running->id, running->tree_id, running->name, "failed", "", std::move(error)});
  };
  const std::string executor_id = executor_of(row);
  if (executor_id.empty()) {
    return fail_now(
        "Executor ID not specified for task " + running->id +
        "; set params.executor_id (available executors: " + join(registry_.executor_ids()) + ")");
  }
  const auto module = registry_.find_executor(executor_id);
  if (!module) {
    return fail_now("Executor '" + executor_id + "' could not be loaded for task " + running->id +
                    "; available executors: " + join(registry_.executor_ids()));
  }
  if (int64_t probe_at = 0; !breakers_->allow(executor_id, &probe_at)) {
    const int64_t wait_ms = std::max<int64_t>(0, probe_at - breakers_->now());
    Finished held{running->id,
                  running->tree_id,
                  running->name,
                  "failed",
                  "",
                  "Circuit breaker for executor '" + executor_id + "' is open after " +
                      std::to_string(breakers_->config().failure_threshold) +
                      " failures in a row; a probe may run in " + std::to_string(wait_ms) + " ms"};
    if (!config_.fail_when_breaker_open) held.wait_until = now_ms() + wait_ms;
    inbox_->push(std::move(held));
    return;
  }
  const Value null_value;
  auto member_or_null = [&](const char* key) -> const Value& {
    auto it = row.FindMember(key);
    return it == row.MemberEnd() ? null_value : it->value;
  };
  const std::string mode = rows::text(row, "injection");
  auto inputs = inject_results(member_or_null("inputs"), member_or_null("dependencies"),
                               member_or_null("dependency_results"), mode, executor_id);
  const auto& timeout = member_or_null("timeout_ms");
  const uint32_t attempt = row.HasMember("attempt_count") && row["attempt_count"].IsUint()
                               ? row["attempt_count"].GetUint()
                               : 1;
  const uint32_t max_attempts = row.HasMember("max_attempts") && row["max_attempts"].IsUint()
                                    ? row["max_attempts"].GetUint()
                                    : 1;
  const durability::RetryPolicy policy = retry_policy_of(row, config_.retry);

  registry::CallRequest request;
  request.module_id = module->id;
  request.input_json = json_text(inputs);
  request.timeout_ms = timeout.IsInt64() ? timeout.GetInt64() : config_.default_task_timeout_ms;
  request.identity.task_id = running->id;
  request.identity.trace_id = running->tree_id;
  request.identity.attempt = attempt;
  request.identity.idempotency_key = running->id + "#" + std::to_string(attempt);
  const std::string task_id = running->id;
  const Store& store = store_;
  request.checkpoints = registry::CheckpointStore{
      [&store, task_id](std::string_view json) {
        std::string body = R"({"task_id":)";
        rapidjson::StringBuffer id_text;
        rapidjson::Writer<rapidjson::StringBuffer> w(id_text);
        w.String(task_id);
        body += id_text.GetString();
        body += R"(,"data":)" + std::string(json) + "}";
        store.call(Store::Op::kSaveCheckpoint, body);
      },
      [&store, task_id]() -> std::optional<std::string> {
        rapidjson::Document req(rapidjson::kObjectType);
        req.AddMember("task_id", Value(task_id.c_str(), req.GetAllocator()), req.GetAllocator());
        auto response = store.call(Store::Op::kLoadCheckpoint, req);
        if (!response.HasMember("data")) return std::nullopt;
        return json_text(response["data"]);
      }};

  registry::CallObserver observer;
  auto inbox = inbox_;
  const std::string tree_id = running->tree_id, name = running->name;
  const int64_t timeout_ms = request.timeout_ms;
  observer.on_progress = [inbox, task_id, tree_id](double fraction, std::string_view) {
    std::lock_guard lock(inbox->mutex);
    inbox->progress[task_id] = {tree_id, fraction};
    inbox->changed.notify_all();
  };
  observer.on_done = [inbox, task_id, tree_id, name, timeout_ms, attempt, max_attempts, policy,
                      breakers = breakers_, executor_id](const registry::CallOutcome& outcome) {
    Finished f{task_id, tree_id, name, "completed", outcome.output_json, ""};
    f.attempt = attempt;
    f.max_attempts = max_attempts;
    f.policy = policy;
    // Timeouts are retried; a refused input or a cancellation never is.
    const bool refused_input = outcome.error_code == "SCHEMA_VALIDATION_ERROR" ||
                               outcome.error_code == "GENERAL_INVALID_INPUT";
    f.retryable = outcome.status == APFLOW_TIMEOUT ||
                  (outcome.retryable && outcome.status != APFLOW_CANCELLED && !refused_input);
    // The breaker hears how the executor fared; bad input or a cancellation says nothing of it.
    if (outcome.ok()) {
      breakers->record_success(executor_id);
    } else if (outcome.status != APFLOW_CANCELLED && !refused_input) {
      breakers->record_failure(executor_id);
    }
    if (outcome.status == APFLOW_CANCELLED) {
      f.status = "cancelled";
      f.error = outcome.error_message;
    } else if (outcome.status == APFLOW_TIMEOUT) {
      f.status = "failed";
      f.error = "Task timed out after " + std::to_string(timeout_ms) +
                " ms; raise its timeout_ms if it needs longer";
    } else if (!outcome.ok()) {
      f.status = "failed";
      f.error = outcome.error_message.empty() ? outcome.error_code : outcome.error_message;
    }
    inbox->push(std::move(f));
  };
  {
    std::lock_guard lock(running_mutex_);
    running_[task_id] = running;
  }
  running->call = pipeline_.start(std::move(request), std::move(observer));
}

void Scheduler::flush_finished(std::vector<Finished> finished, size_t free_slots) {
  std::vector<std::string> handed_back;
  rapidjson::Document request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  request.AddMember("node", Value(config_.node_id.c_str(), a), a);
  Value results(rapidjson::kArrayType);
  std::map<std::string, const Finished*> by_id;
  for (const auto& f : finished) {
    if (f.interrupted_by_stop) {
      handed_back.push_back(f.id);
      continue;
    }
    Value item(rapidjson::kObjectType);
    item.AddMember("id", Value(f.id.c_str(), a), a);
    item.AddMember("status", Value(f.status.c_str(), a), a);
    if (f.status == "completed") {
      rapidjson::Document result;
      result.Parse(f.result_json.c_str());
      item.AddMember("result", Value(result, a), a);
      item.AddMember("progress", 1.0, a);
    } else {
      item.AddMember("error", Value(f.error.c_str(), a), a);
    }
    if (f.wait_until > 0) {
      item.AddMember("retry_at", f.wait_until, a);
      item.AddMember("uncounted", true, a);
    } else if (f.status == "failed" && f.retryable && f.attempt < f.max_attempts) {
      item.AddMember("retry_at", now_ms() + f.policy.delay_ms(f.attempt, random_), a);
    }
    results.PushBack(item, a);
    by_id[f.id] = &f;
  }
  request.AddMember("results", results, a);
  // The ancestors' rolled-up progress commits with the results (one transaction, not two);
  // an ancestor of many finished tasks is written once, with its latest value.
  std::map<std::string, double> ancestors;
  for (const auto& [id, f] : by_id) {
    if (f->status != "completed") continue;
    const auto changed = trees_.roll_up(f->tree_id, id, 1.0);
    for (auto it = changed.begin() + 1; it != changed.end(); ++it)
      ancestors[it->first] = it->second;
  }
  Value progress(rapidjson::kArrayType);
  for (const auto& [id, value] : ancestors) {
    Value item(rapidjson::kObjectType);
    item.AddMember("id", Value(id.c_str(), a), a);
    item.AddMember("progress", value, a);
    progress.PushBack(item, a);
  }
  if (!progress.Empty()) request.AddMember("progress", progress, a);
  {
    std::lock_guard lock(running_mutex_);
    for (const auto& f : finished) running_.erase(f.id);
  }
  if (!handed_back.empty()) release_to_queue(handed_back);
  if (by_id.empty()) {
    if (free_slots > 0) claim_and_start(free_slots);
    return;
  }
  size_t limit = 0;
  if (free_slots > 0) {
    Value claim(rapidjson::kObjectType);
    limit = add_claim(claim, a, free_slots);
    request.AddMember("claim", claim, a);
  }
  auto response = store_.call(Store::Op::kFinishTasks, request);

  for (const Value& id : response["retrying"].GetArray()) {
    const Finished& f = *by_id.at(id.GetString());
    spdlog::info("task {} failed attempt {} of {} and will run again: {}", f.id, f.attempt,
                 f.max_attempts, f.error);
    events_.publish(f.tree_id, to_json(TaskEvent{.type = "task_retrying",
                                                 .task_id = f.id,
                                                 .tree_id = f.tree_id,
                                                 .name = f.name,
                                                 .status = "pending",
                                                 .error = f.error}));
  }
  std::set<std::string> trees;
  for (const Value& id : response["finished"].GetArray()) {
    const Finished& f = *by_id.at(id.GetString());
    trees.insert(f.tree_id);
    rapidjson::Document result;
    if (f.status == "completed") result.Parse(f.result_json.c_str());
    events_.publish(f.tree_id,
                    to_json(TaskEvent{.type = "task_" + f.status,
                                      .task_id = f.id,
                                      .tree_id = f.tree_id,
                                      .name = f.name,
                                      .status = f.status,
                                      .progress = f.status == "completed" ? 1.0 : 0.0,
                                      .result = f.status == "completed" ? &result : nullptr,
                                      .error = f.error}));
  }
  trees.merge(publish_changes(response["changed"]));
  if (limit > 0) start_claimed(response, limit);
  {
    // A tree with a task still running here has not ended: spare the store the question.
    std::lock_guard lock(running_mutex_);
    for (const auto& [id, running] : running_) trees.erase(running->tree_id);
  }
  trees_.check_finished(trees);
}

void Scheduler::flush_progress(std::map<std::string, std::pair<std::string, double>> progress) {
  rapidjson::Document record(rapidjson::kObjectType);
  auto& a = record.GetAllocator();
  Value items(rapidjson::kArrayType);
  for (const auto& [task_id, entry] : progress) {
    const auto& [tree_id, fraction] = entry;
    const auto changed = trees_.roll_up(tree_id, task_id, fraction);
    for (const auto& [id, value] : changed) {
      Value item(rapidjson::kObjectType);
      item.AddMember("id", Value(id.c_str(), a), a);
      item.AddMember("progress", value, a);
      items.PushBack(item, a);
    }
    std::string name;
    {
      std::lock_guard lock(running_mutex_);
      if (auto it = running_.find(task_id); it != running_.end()) name = it->second->name;
    }
    events_.publish(tree_id, to_json(TaskEvent{.type = "task_progress",
                                               .task_id = task_id,
                                               .tree_id = tree_id,
                                               .name = name,
                                               .status = "in_progress",
                                               .progress = fraction}));
  }
  record.AddMember("progress", items, a);
  store_.call(Store::Op::kRecordProgress, record);
}

void Scheduler::keep_leases(int64_t now) {
  if (now < next_lease_check_) return;
  next_lease_check_ = now + std::max<int64_t>(config_.lease_ms / 3, 10);
  rapidjson::Document renew(rapidjson::kObjectType);
  auto& a = renew.GetAllocator();
  Value ids(rapidjson::kArrayType);
  {
    std::lock_guard lock(running_mutex_);
    for (const auto& [id, running] : running_) ids.PushBack(Value(id.c_str(), a), a);
  }
  if (!ids.Empty()) {
    renew.AddMember("node", Value(config_.node_id.c_str(), a), a);
    renew.AddMember("ids", ids, a);
    renew.AddMember("lease_ms", config_.lease_ms, a);
    renew.AddMember("now_ms", now, a);
    store_.call(Store::Op::kRenewLeases, renew);
  }
  rapidjson::Document expire(rapidjson::kObjectType);
  expire.AddMember("now_ms", now, expire.GetAllocator());
  auto expired = store_.call(Store::Op::kExpireLeases, expire);
  if (expired["expired"].Size() > 0) {
    spdlog::warn("{} task(s) whose lease expired went back to the queue",
                 expired["expired"].Size());
    wake();
  }
}

void Scheduler::release_to_queue(const std::vector<std::string>& task_ids) {
  const int64_t now = now_ms();
  rapidjson::Document renew(rapidjson::kObjectType);
  auto& a = renew.GetAllocator();
  Value ids(rapidjson::kArrayType);
  for (const auto& id : task_ids) ids.PushBack(Value(id.c_str(), a), a);
  renew.AddMember("node", Value(config_.node_id.c_str(), a), a);
  renew.AddMember("ids", ids, a);
  renew.AddMember("lease_ms", 0, a);
  renew.AddMember("now_ms", now - 1, a);
  store_.call(Store::Op::kRenewLeases, renew);
  rapidjson::Document expire(rapidjson::kObjectType);
  expire.AddMember("now_ms", now, expire.GetAllocator());
  store_.call(Store::Op::kExpireLeases, expire);
}

std::set<std::string> Scheduler::publish_changes(const Value& changed) {
  std::set<std::string> trees;
  if (!changed.IsArray()) return trees;
  for (const Value& item : changed.GetArray()) {
    const std::string status = rows::text(item, "status");
    const std::string tree_id = rows::text(item, "task_tree_id");
    trees.insert(tree_id);
    events_.publish(tree_id, to_json(TaskEvent{.type = "task_" + status,
                                               .task_id = rows::text(item, "id"),
                                               .tree_id = tree_id,
                                               .name = rows::text(item, "name"),
                                               .status = status,
                                               .error = rows::text(item, "error")}));
  }
  return trees;
}

void Scheduler::report_changes(const Value& changed) {
  trees_.check_finished(publish_changes(changed));
}

}  // namespace apflow::engine
