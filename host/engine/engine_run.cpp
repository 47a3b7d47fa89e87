// Engine: execute and cancel — deciding what runs, queueing it, and stopping it.
#include <algorithm>
#include <chrono>
#include <deque>
#include <future>
#include <optional>
#include <set>

#include "core/error.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/events.h"
#include "engine/module_input.h"
#include "engine/task_rows.h"

namespace apflow::engine {
namespace {

// Runs at least this large have their progress tracker built beside the queueing.
constexpr size_t kPrimeAside = 1000;

// What an execution of `target` runs: its subtree, every task those wait for that has not
// completed (in any tree), and the subtrees of those (a parent waits for its children).
struct RunSet {
  std::vector<std::string> to_queue;
  std::set<std::string> trees;
};

class RunPlanner {
 public:
  // rerun_all: everything under the target runs again. selected: these tasks run again, with
  // everything that used their results (their subtrees, their dependents, and the ancestors up
  // to the target, since a parent's own run comes after its children's).
  RunPlanner(const Store& store, const Value& target, bool rerun_all,
             const std::vector<std::string>& selected)
      : store_(store) {
    load_tree(rows::text(target, "task_tree_id"));
    const auto& index = *indexes_.begin()->second;
    const std::string target_id = rows::text(target, "id");
    for (const auto& id : index.subtree(target_id)) forced_.insert(id);
    if (rerun_all) reset_ = forced_;
    for (const auto& id : selected) {
      if (!forced_.contains(id)) {
        throw Error(codes::kGeneralInvalidInput,
                    "task '" + id + "' is not part of the tree under '" + target_id +
                        "'; task_ids must name tasks inside the part being executed");
      }
      add_with_users(index, id, target_id);
    }
  }

  // Hands the trees read for planning to the tracker of the run's progress.
  void prime(TreeTracker& tracker, const RunSet& run) const {
    const std::set<std::string> queued(run.to_queue.begin(), run.to_queue.end());
    for (const auto& tree : run.trees) {
      if (auto it = rows_of_.find(tree); it != rows_of_.end()) {
        tracker.prime(tree, *it->second, queued);
      }
    }
  }

  // The tree whose every task the run queues, if it is one tree: the store then reaches them
  // through the tree's index instead of looking up each id.
  std::optional<std::string> whole_tree(const RunSet& run) const {
    if (run.trees.size() != 1) return std::nullopt;
    const std::string& tree = *run.trees.begin();
    auto it = indexes_.find(tree);
    if (it == indexes_.end() || it->second->by_id.size() != run.to_queue.size()) {
      return std::nullopt;
    }
    return tree;
  }

  RunSet plan(const std::string& target_id) {
    std::deque<std::string> work{target_id};
    std::set<std::string> seen;
    RunSet out;
    while (!work.empty()) {
      const std::string id = work.front();
      work.pop_front();
      if (!seen.insert(id).second) continue;
      const Value* row = lookup(id);
      if (row == nullptr) continue;
      const bool completed = rows::text(*row, "status") == "completed";
      const bool reset = reset_.contains(id);
      if (completed && !reset && !forced_.contains(id)) continue;
      const bool running = rows::text(*row, "status") == "in_progress";
      if ((!completed || reset) && !running) {
        out.to_queue.push_back(id);
        out.trees.insert(rows::text(*row, "task_tree_id"));
      }
      const auto& index = *indexes_.at(rows::text(*row, "task_tree_id"));
      if (auto kids = index.children.find(id); kids != index.children.end()) {
        work.insert(work.end(), kids->second.begin(), kids->second.end());
      }
      for (const auto& dep : rows::dependency_ids(*row)) work.push_back(dep);
    }
    return out;
  }

 private:
  const Value* lookup(const std::string& id) {
    for (const auto& [tree, index] : indexes_) {
      if (auto it = index->by_id.find(id); it != index->by_id.end()) return it->second;
    }
    auto row = rows::find(store_, id);  // a dependency in another tree
    if (!row) return nullptr;
    load_tree(rows::text(*row, "task_tree_id"));
    return lookup(id);
  }
  void load_tree(const std::string& tree_id) {
    if (indexes_.contains(tree_id)) return;
    // progress and has_children are for the TreeTracker (prime), which would read them again.
    // Planning walks the tree by ids: the rows' order does not matter.
    trees_.push_back(std::make_unique<Json>(rows::tree_rows(
        store_, tree_id,
        {"parent_id", "task_tree_id", "status", "dependencies", "progress", "has_children"},
        rows::RowOrder::kAny)));
    indexes_[tree_id] = std::make_unique<rows::TreeIndex>(*trees_.back());
    rows_of_[tree_id] = trees_.back().get();
  }

  // Marks `id` to run again, then whatever used its result, within the target's subtree: its
  // own subtree (unless it is an ancestor reached from below), its dependents and its parent.
  void add_with_users(const rows::TreeIndex& index, const std::string& id,
                      const std::string& target_id, bool with_subtree = true) {
    if (!forced_.contains(id)) return;
    const bool added = reset_.insert(id).second;
    if (with_subtree) {
      for (const auto& member : index.subtree(id)) {
        if (member != id) add_with_users(index, member, target_id);
      }
    }
    if (!added) return;
    for (const auto& [other, row] : index.by_id) {
      const auto deps = rows::dependency_ids(*row);
      if (std::find(deps.begin(), deps.end(), id) != deps.end()) {
        add_with_users(index, other, target_id);
      }
    }
    if (id != target_id) {
      add_with_users(index, rows::text(*index.by_id.at(id), "parent_id"), target_id, false);
    }
  }

  const Store& store_;
  std::set<std::string> forced_;  // the target's subtree: always part of the run
  std::set<std::string> reset_;   // completed tasks that run again
  std::vector<std::unique_ptr<Json>> trees_;
  std::map<std::string, std::unique_ptr<rows::TreeIndex>> indexes_;
  std::map<std::string, const Json*> rows_of_;
};

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
  const std::string rerun =
      input.HasMember("rerun") && input["rerun"].IsString() ? input["rerun"].GetString() : "failed";
  if (rerun != "failed" && rerun != "all") {
    throw Error(codes::kGeneralInvalidInput, "rerun must be 'failed' or 'all'");
  }
  std::vector<std::string> selected;
  if (auto ids = input.FindMember("task_ids"); ids != input.MemberEnd() && !ids->value.IsNull()) {
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
  }
  const Store& s = store();
  RunWaiters::Ticket wait_ticket;
  RunSet run;
  Json target;
  {
    std::lock_guard lock(execute_mutex_);
    target = rows::require(s, task_id);
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
    RunPlanner planner(s, target, rerun == "all", selected);
    run = planner.plan(task_id);
    // A task abandoned just now failed so that its crashes stop: this resumption must not
    // start it again (executing it once more, later, does).
    for (const auto& id : abandoned) std::erase(run.to_queue, id);
    if (run.to_queue.empty()) {
      // The expiry above may have failed the target since it was read.
      if (!abandoned.empty()) target = rows::require(s, task_id);
      answer([&target] { return execute_result(target, 0); });
      return;
    }
    // A large tree's progress tracker is built on another core while the store queues the tree.
    std::future<void> priming;
    if (run.to_queue.size() >= kPrimeAside) {
      priming =
          std::async(std::launch::async, [&planner, &run, this] { planner.prime(*trees_, run); });
    } else {
      planner.prime(*trees_, run);
    }
    if (wait) wait_ticket = waiters_.watch(tree_id);
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
      auto queued = s.call(Store::Op::kQueueTasks, request);
      if (priming.valid()) priming.get();
      scheduler_->report_changes(queued["changed"]);
    } catch (...) {
      if (priming.valid()) priming.wait();
      set_executing(run.trees, false);
      if (wait_ticket) waiters_.forget(wait_ticket);
      throw;
    }
  }
  scheduler_->start();
  scheduler_->wake();
  const uint64_t queued = run.to_queue.size();
  auto result = [&s, task_id, queued] { return execute_result(rows::require(s, task_id), queued); };
  if (!wait_ticket) return answer(result);
  waiters_.answer_when_ended(wait_ticket,
                             RunWaiters::Clock::now() + std::chrono::milliseconds(timeout_ms),
                             [answer = std::move(answer), result] { answer(result); });
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
