#include "engine/tree_tracker.h"

#include <rapidjson/document.h>

#include "engine/events.h"
#include "engine/task_rows.h"

namespace apflow::engine {
namespace {

using rapidjson::Value;

// The first task of a tree that matches extra filters, with its status and queued flag (null
// when none): the first match, not a count, so a check after every batch stays cheap however
// large the tree.
rapidjson::Document first_match(const Store& store, const std::string& tree_id,
                                const char* filters_json) {
  rapidjson::Document request;
  request.Parse(filters_json);
  auto& a = request.GetAllocator();
  request.AddMember("task_tree_id", Value(tree_id.c_str(), a), a);
  request.AddMember("limit", 1, a);
  request.AddMember("count", false, a);
  request.AddMember("order", "none", a);
  Value fields(rapidjson::kArrayType);
  fields.PushBack("status", a).PushBack("queued", a);
  request.AddMember("fields", fields, a);
  auto response = store.call(Store::Op::kQueryTasks, request);
  rapidjson::Document first;
  if (!response["tasks"].Empty()) first.CopyFrom(response["tasks"][0], first.GetAllocator());
  return first;
}

std::string first_status(const Store& store, const std::string& tree_id, const char* filters_json) {
  const auto first = first_match(store, tree_id, filters_json);
  return first.IsObject() ? rows::text(first, "status") : std::string();
}

bool any(const Store& store, const std::string& tree_id, const char* filters_json) {
  return !first_status(store, tree_id, filters_json).empty();
}

// What a look at a tree found: still running, or ended (and how).
enum class TreeState { kOpen, kCompleted, kUnknownEnd };

// One pass over a tree whose tasks all completed (the usual end); any other finding needs the
// closer looks of check_finished and publish_end.
TreeState first_look(const Store& store, const std::string& tree_id) {
  const auto first =
      first_match(store, tree_id, R"({"status":["pending","in_progress","failed","cancelled"]})");
  if (!first.IsObject()) return TreeState::kCompleted;
  const std::string status = rows::text(first, "status");
  const bool queued =
      first.HasMember("queued") && first["queued"].IsBool() && first["queued"].GetBool();
  if ((status == "pending" || status == "in_progress") && queued) return TreeState::kOpen;
  return TreeState::kUnknownEnd;
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
    const TreeState state = first_look(store_, tree_id);
    if (state == TreeState::kOpen ||
        (state == TreeState::kUnknownEnd &&
         any(store_, tree_id, R"({"queued":true,"status":["pending","in_progress"]})"))) {
      continue;
    }
    {
      std::lock_guard lock(mutex_);
      if (active_.erase(tree_id) == 0) continue;  // another thread reported it
      trees_.erase(tree_id);
    }
    publish_end(tree_id, state == TreeState::kCompleted);
  }
}

void TreeTracker::publish_end(const std::string& tree_id, bool all_completed) {
  rapidjson::Document request;
  request.Parse(R"({"parent_id":null,"limit":1,"count":false})");
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
  const std::string ended =
      all_completed ? std::string()
                    : first_status(store_, tree_id, R"({"status":["failed","cancelled"]})");
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
