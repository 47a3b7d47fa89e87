// Engine: execute and cancel — deciding what runs, queueing it, and stopping it.
#include <algorithm>
#include <chrono>
#include <future>
#include <optional>
#include <set>

#include "core/error.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/events.h"
#include "engine/module_input.h"
#include "engine/run_planner.h"
#include "engine/task_rows.h"

namespace apflow::engine {
namespace {

// Runs at least this large have their progress tracker built beside the queueing.
constexpr size_t kPrimeAside = 1000;

Json execute_result(const Value& row, uint64_t queued) {
  Json out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  out.AddMember("task_id", Value(row["id"], a), a);
  out.AddMember("root_task_id", Value(row["task_tree_id"], a), a);
  for (const char* key : {"status", "progress", "result", "error", "token_usage"}) {
    auto it = row.FindMember(key);
    out.AddMember(Value(key, a), it == row.MemberEnd() ? Value() : Value(it->value, a), a);
  }
  out.AddMember("queued", queued, a);
  return out;
}

bool rerun_everything(const Value& input) {
  const std::string rerun =
      input.HasMember("rerun") && input["rerun"].IsString() ? input["rerun"].GetString() : "failed";
  if (rerun != "failed" && rerun != "all") {
    throw Error(codes::kGeneralInvalidInput, "rerun must be 'failed' or 'all'");
  }
  return rerun == "all";
}

// The tasks an execute names to run again (task_ids), checked.
std::vector<std::string> selected_tasks(const Value& input) {
  std::vector<std::string> selected;
  auto ids = input.FindMember("task_ids");
  if (ids == input.MemberEnd() || ids->value.IsNull()) return selected;
  if (input.HasMember("rerun")) {
    throw Error(codes::kGeneralInvalidInput,
                "give either rerun or task_ids: task_ids already says what runs again");
  }
  if (!ids->value.IsArray() || ids->value.Empty()) {
    throw Error(codes::kGeneralInvalidInput, "task_ids must be a non-empty array of task ids");
  }
  for (const Value& id : ids->value.GetArray()) {
    if (!id.IsString()) {
      throw Error(codes::kGeneralInvalidInput, "task_ids must be a non-empty array of task ids");
    }
    selected.emplace_back(id.GetString());
  }
  return selected;
}

}  // namespace

bool Engine::is_executing(const std::string& tree_id) {
  std::lock_guard lock(executing_mutex_);
  return executing_.contains(tree_id);
}

void Engine::set_executing(const std::set<std::string>& trees, bool on) {
  std::lock_guard lock(executing_mutex_);
  for (const auto& tree : trees) on ? (void)executing_.insert(tree) : (void)executing_.erase(tree);
}

void Engine::check_not_running(const std::string& tree_id, int64_t now) {
  const std::string message = "Task tree " + tree_id +
                              " is already running. Concurrent execution of the same task tree "
                              "is not allowed.";
  if (is_executing(tree_id)) throw Error("TASK_ALREADY_RUNNING", message);
  // Leased elsewhere and still alive: another node runs it. Orphaned work (a crashed process)
  // is resumed by this execution instead.
  Json query;
  query.Parse(R"({"status":"in_progress","limit":1000,"count":false,"order":"none",)"
              R"("fields":["lease_owner","lease_expires_at"]})");
  query.AddMember("task_tree_id", Value(tree_id.c_str(), query.GetAllocator()),
                  query.GetAllocator());
  const auto running = store_->call(Store::Op::kQueryTasks, query);
  for (const Value& row : running["tasks"].GetArray()) {
    const bool mine = rows::text(row, "lease_owner") == config_.node_id;
    auto expires = row.FindMember("lease_expires_at");
    const bool live =
        expires != row.MemberEnd() && expires->value.IsInt64() && expires->value.GetInt64() >= now;
    if (!mine && live) throw Error("TASK_ALREADY_RUNNING", message);
  }
}

std::vector<std::string> Engine::expire_leases(int64_t now) {
  const auto expired = scheduler_->expire_leases(now);
  std::vector<std::string> abandoned;
  for (const Value& id : expired["abandoned"].GetArray()) abandoned.emplace_back(id.GetString());
  return abandoned;
}

Json Engine::execute(const Value& input) {
  std::promise<Json> answered;
  execute_then(input, [&answered](const std::function<Json()>& result) {
    try {
      answered.set_value(result());
    } catch (...) {
      answered.set_exception(std::current_exception());
    }
  });
  return answered.get_future().get();
}

void Engine::execute_then(const Value& input, ExecuteAnswer answer) {
  const std::string task_id = required_id(input);
  const bool wait = input.HasMember("wait") && input["wait"].IsBool() && input["wait"].GetBool();
  const int64_t timeout_ms = input.HasMember("timeout_ms") && input["timeout_ms"].IsInt64()
                                 ? input["timeout_ms"].GetInt64()
                                 : 60000;
  const bool rerun_all = rerun_everything(input);
  const std::vector<std::string> selected = selected_tasks(input);
  const Store& s = store();
  RunWaiters::Ticket wait_ticket;
  uint64_t queued = 0;
  {
    std::lock_guard lock(execute_mutex_);
    Json target = rows::require(s, task_id);
    if (rows::text(target, "origin_type") == "archive") {
      throw Error("TASK_ARCHIVED", "Task '" + task_id +
                                       "' is archived: an archived tree is an immutable "
                                       "snapshot. Copy it (apflow.task.copy) to run it again.");
    }
    const std::string tree_id = rows::text(target, "task_tree_id");
    // Tasks of a process that died hold expired leases: back to the queue before deciding. One
    // moment for both, so a lease is either expired (queued again) or live (refused), never
    // neither (left running with nobody to finish it).
    const int64_t now = now_ms();
    const auto abandoned = expire_leases(now);
    check_not_running(tree_id, now);
    // Watched before anything is queued, so that no end of the run goes unseen.
    if (wait) wait_ticket = waiters_.watch(tree_id);
    try {
      queued = plan_and_queue(target, rerun_all, selected, abandoned);
    } catch (...) {
      if (wait_ticket) waiters_.forget(wait_ticket);
      throw;
    }
    if (queued == 0) {
      if (wait_ticket) waiters_.forget(wait_ticket);
      // The expiry above may have failed the target since it was read.
      if (!abandoned.empty()) target = rows::require(s, task_id);
      answer([&target] { return execute_result(target, 0); });
      return;
    }
  }
  scheduler_->start();
  scheduler_->wake();
  auto result = [&s, task_id, queued] { return execute_result(rows::require(s, task_id), queued); };
  if (!wait_ticket) return answer(result);
  waiters_.answer_when_ended(wait_ticket,
                             RunWaiters::Clock::now() + std::chrono::milliseconds(timeout_ms),
                             [answer = std::move(answer), result] { answer(result); });
}

uint64_t Engine::plan_and_queue(const Value& target, bool rerun_all,
                                const std::vector<std::string>& selected,
                                const std::vector<std::string>& abandoned) {
  RunPlanner planner(*store_, target, rerun_all, selected);
  RunSet run = planner.plan(rows::text(target, "id"));
  // A task abandoned just now failed so that its crashes stop: this resumption must not start
  // it again (executing it once more, later, does).
  for (const auto& id : abandoned) std::erase(run.to_queue, id);
  if (run.to_queue.empty()) return 0;
  queue_planned(planner, run);
  return run.to_queue.size();
}

void Engine::queue_planned(const RunPlanner& planner, const RunSet& run) {
  // A large tree's progress tracker is built on another core while the store queues the tree.
  std::future<void> priming;
  if (run.to_queue.size() >= kPrimeAside) {
    priming =
        std::async(std::launch::async, [&planner, &run, this] { planner.prime(*trees_, run); });
  } else {
    planner.prime(*trees_, run);
  }
  Json request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  if (const auto tree = planner.whole_tree(run)) {
    request.AddMember("task_tree_id", Value(tree->c_str(), a), a);
  } else {
    Value ids(rapidjson::kArrayType);
    for (const auto& id : run.to_queue) ids.PushBack(Value(id.c_str(), a), a);
    request.AddMember("ids", ids, a);
  }
  request.AddMember("reset", true, a);
  set_executing(run.trees, true);
  for (const auto& tree : run.trees) trees_->track(tree);
  try {
    auto queued = store_->call(Store::Op::kQueueTasks, request);
    if (priming.valid()) priming.get();
    scheduler_->report_changes(queued["changed"]);
  } catch (...) {
    if (priming.valid()) priming.wait();
    set_executing(run.trees, false);
    throw;
  }
}

Json Engine::cancel(const Value& input) {
  auto ids_it = input.FindMember("task_ids");
  if (ids_it == input.MemberEnd() || !ids_it->value.IsArray() || ids_it->value.Empty()) {
    throw Error(codes::kGeneralInvalidInput, "task_ids must be a non-empty array of task ids");
  }
  const std::string message = input.HasMember("error_message") && input["error_message"].IsString()
                                  ? input["error_message"].GetString()
                                  : "Cancelled via API";
  const Store& s = store();
  Json out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  Value results(rapidjson::kArrayType);
  auto result = [&](const std::string& id, const char* status, const std::string& text,
                    const std::string& current = {}) {
    Value item(rapidjson::kObjectType);
    item.AddMember("task_id", Value(id.c_str(), a), a);
    item.AddMember("status", Value(status, a), a);
    item.AddMember("message", Value(text.c_str(), a), a);
    if (!current.empty()) item.AddMember("current_status", Value(current.c_str(), a), a);
    results.PushBack(item, a);
  };
  Json request(rapidjson::kObjectType);
  auto& ra = request.GetAllocator();
  Value to_cancel(rapidjson::kArrayType);
  std::map<std::string, std::string> names;
  for (const Value& id_value : ids_it->value.GetArray()) {
    const std::string id = id_value.IsString() ? id_value.GetString() : "";
    auto row = rows::find(s, id);
    if (!row) {
      result(id, "failed", "Task " + id + " not found");
      continue;
    }
    const std::string status = rows::text(*row, "status");
    if (is_terminal(status)) {
      result(id, "failed", "Task " + id + " is already " + status + ", cannot cancel", status);
      continue;
    }
    const Json tree = rows::tree_rows(s, rows::text(*row, "task_tree_id"));
    const rows::TreeIndex index(tree);
    for (const auto& member : index.subtree(id)) {
      const Value& r = *index.by_id.at(member);
      names[member] = rows::text(r, "name");
      if (!is_terminal(rows::text(r, "status"))) to_cancel.PushBack(Value(member.c_str(), ra), ra);
    }
    result(id, "cancelled", message);
  }
  if (!to_cancel.Empty()) {
    request.AddMember("ids", to_cancel, ra);
    request.AddMember("error", Value(message.c_str(), ra), ra);
    auto response = s.call(Store::Op::kCancelTasks, request);
    std::vector<std::string> live;
    std::set<std::string> trees;
    for (const Value& c : response["cancelled"].GetArray()) {
      const std::string id = rows::text(c, "id"), tree = rows::text(c, "task_tree_id");
      if (rows::text(c, "was") == "in_progress") live.push_back(id);
      trees.insert(tree);
      publish(events_, TaskEvent{.type = "task_cancelled",
                                 .task_id = id,
                                 .tree_id = tree,
                                 .name = names[id],
                                 .status = "cancelled",
                                 .error = message});
    }
    scheduler_->interrupt(live);
    scheduler_->report_changes(response["changed"]);
    trees_->check_finished(trees);
  }
  out.AddMember("results", results, a);
  return out;
}

}  // namespace apflow::engine
