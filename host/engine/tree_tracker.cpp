#include "engine/tree_tracker.h"

#include <rapidjson/document.h>

#include "engine/events.h"
#include "engine/task_rows.h"

namespace apflow::engine {
namespace {

using rapidjson::Value;

// The status of the first task of a tree that matches extra filters ("" when none): the first
// match, not a count, so a check after every batch stays cheap however large the tree.
std::string first_status(const Store& store, const std::string& tree_id, const char* filters_json) {
  rapidjson::Document request;
  request.Parse(filters_json);
  auto& a = request.GetAllocator();
  request.AddMember("task_tree_id", Value(tree_id.c_str(), a), a);
  request.AddMember("limit", 1, a);
  request.AddMember("count", false, a);
  request.AddMember("order", "none", a);
  Value fields(rapidjson::kArrayType);
  fields.PushBack("status", a);
  request.AddMember("fields", fields, a);
  auto response = store.call(Store::Op::kQueryTasks, request);
  const Value& tasks = response["tasks"];
  return tasks.Empty() ? std::string() : rows::text(tasks[0], "status");
}

bool any(const Store& store, const std::string& tree_id, const char* filters_json) {
  return !first_status(store, tree_id, filters_json).empty();
}

}  // namespace

void TreeTracker::track(const std::string& tree_id) {
  std::lock_guard lock(mutex_);
  active_.insert(tree_id);
}

void TreeTracker::check_finished(const std::set<std::string>& tree_ids) {
  for (const auto& tree_id : tree_ids) {
    {
      std::lock_guard lock(mutex_);
      if (!active_.contains(tree_id)) continue;
    }
    if (any(store_, tree_id, R"({"queued":true,"status":["pending","in_progress"]})")) {
      continue;
    }
    {
      std::lock_guard lock(mutex_);
      if (active_.erase(tree_id) == 0) continue;  // another thread reported it
      trees_.erase(tree_id);
    }
    publish_end(tree_id);
  }
}

void TreeTracker::publish_end(const std::string& tree_id) {
  rapidjson::Document request;
  request.Parse(R"({"parent_id":null,"limit":1})");
  auto& a = request.GetAllocator();
  request.AddMember("task_tree_id", Value(tree_id.c_str(), a), a);
  auto roots = store_.call(Store::Op::kQueryTasks, request);
  TaskEvent event;
  event.tree_id = tree_id;
  event.task_id = tree_id;
  if (roots["tasks"].Size() > 0) {
    const Value& root = roots["tasks"][0];
    event.task_id = rows::text(root, "id");
    event.name = rows::text(root, "name");
    if (root.HasMember("progress") && root["progress"].IsNumber()) {
      event.progress = root["progress"].GetDouble();
    }
  }
  // One pass over a tree that completed; a failure counts before a cancellation.
  const std::string ended = first_status(store_, tree_id, R"({"status":["failed","cancelled"]})");
  if (ended == "failed" ||
      (ended == "cancelled" && any(store_, tree_id, R"({"status":"failed"})"))) {
    event.type = "tree_failed";
    event.status = "failed";
  } else if (ended == "cancelled") {
    event.type = "tree_cancelled";
    event.status = "cancelled";
  } else {
    event.type = "tree_completed";
    event.status = "completed";
  }
  publish(events_, event);
}

TreeTracker::Tree& TreeTracker::load(const std::string& tree_id) {
  auto found = trees_.find(tree_id);
  if (found != trees_.end()) return found->second;
  const auto rows = rows::tree_rows(
      store_, tree_id, {"parent_id", "progress", "has_children", "status"}, rows::RowOrder::kAny);
  Tree& tree = trees_[tree_id];
  build(tree, rows, {});
  return tree;
}

void TreeTracker::prime(const std::string& tree_id, const Value& rows,
                        const std::set<std::string>& reset) {
  std::lock_guard lock(mutex_);
  if (trees_.contains(tree_id)) return;  // a run under way here keeps what it knows
  build(trees_[tree_id], rows, reset);
}

void TreeTracker::build(Tree& tree, const Value& rows, const std::set<std::string>& reset) {
  tree.reserve(rows.Size());
  for (const Value& row : rows.GetArray()) {
    auto [it, added] = tree.try_emplace(rows::text(row, "id"));
    Node& node = it->second;
    node.id = &it->first;
    const bool fresh = reset.contains(it->first);
    if (!fresh && row.HasMember("progress") && row["progress"].IsNumber()) {
      node.rolled = row["progress"].GetDouble();
    }
    const bool has_children = row.HasMember("has_children") && row["has_children"].IsBool() &&
                              row["has_children"].GetBool();
    const bool completed = !fresh && rows::text(row, "status") == "completed";
    node.own = !has_children ? node.rolled : (completed ? 1.0 : 0.0);
  }
  for (const Value& row : rows.GetArray()) {
    const std::string parent_id = rows::text(row, "parent_id");
    auto parent = parent_id.empty() ? tree.end() : tree.find(parent_id);
    if (parent == tree.end()) continue;
    Node& node = tree.at(rows::text(row, "id"));
    node.parent = &parent->second;
    ++parent->second.children;
    parent->second.children_sum += node.rolled;
  }
}

std::vector<std::pair<std::string, double>> TreeTracker::roll_up(const std::string& tree_id,
                                                                 const std::string& task_id,
                                                                 double fraction) {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, double>> changed{{task_id, fraction}};
  Tree& tree = load(tree_id);
  auto it = tree.find(task_id);
  if (it == tree.end()) return changed;
  Node* const task = &it->second;
  task->own = fraction;
  // Walk up, each node's rolled value from its own part and its children's running sum.
  for (Node* node = task; node != nullptr; node = node->parent) {
    const double rolled =
        (node->own + node->children_sum) / static_cast<double>(node->children + 1);
    if (node != task && rolled == node->rolled) break;
    const double delta = rolled - node->rolled;
    node->rolled = rolled;
    if (node != task) changed.emplace_back(*node->id, rolled);
    if (node->parent != nullptr) node->parent->children_sum += delta;
  }
  changed.front().second = task->rolled;
  return changed;
}

}  // namespace apflow::engine
