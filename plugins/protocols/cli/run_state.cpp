#include "cli/run_state.h"

namespace apflow::plugins::cli {
namespace {

// A tree listing is the engine's own output; a cycle or absurd depth means a bug there, and
// rendering must not recurse forever because of it.
constexpr int kMaxListingDepth = 1000;

}  // namespace

bool is_final_status(const std::string& status) {
  return status == "completed" || status == "failed" || status == "cancelled";
}

RunEvent parse_event(const rapidjson::Value& event) {
  RunEvent out{.type = sdk::get_string(event, "type"),
               .task_id = sdk::get_string(event, "task_id"),
               .tree_id = sdk::get_string(event, "task_tree_id"),
               .name = sdk::get_string(event, "name"),
               .status = sdk::get_string(event, "status"),
               .message = sdk::get_string(event, "message"),
               .error = sdk::get_string(event, "error"),
               .timestamp = sdk::get_string(event, "timestamp")};
  if (event.IsObject() && event.HasMember("progress") && event["progress"].IsNumber()) {
    out.progress = event["progress"].GetDouble();
  }
  return out;
}

void RunState::add_tree(const std::string& root_id, const rapidjson::Value* listing) {
  trees_.push_back(TreeProgress{.root_id = root_id, .name = root_id});
  if (listing != nullptr) add_listing(trees_.back(), *listing, 0);
}

void RunState::add_listing(TreeProgress& tree, const rapidjson::Value& node, int depth) {
  if (!node.IsObject() || depth > kMaxListingDepth) return;
  const auto row = node.FindMember("task");
  if (row != node.MemberEnd() && row->value.IsObject()) {
    const std::string id = sdk::get_string(row->value, "id");
    if (!id.empty() && !tasks_.contains(id)) {
      TaskProgress task{.id = id, .name = sdk::get_string(row->value, "name", id)};
      task.status = sdk::get_string(row->value, "status", "pending");
      tasks_.emplace(id, task);
      tree.task_ids.push_back(id);
      if (id == tree.root_id) tree.name = task.name;
    }
  }
  const auto children = node.FindMember("children");
  if (children == node.MemberEnd() || !children->value.IsArray()) return;
  for (const auto& child : children->value.GetArray()) add_listing(tree, child, depth + 1);
}

TreeProgress* RunState::tree_of(const RunEvent& event) {
  for (auto& tree : trees_) {
    if (tree.root_id == event.tree_id || tree.root_id == event.task_id) return &tree;
  }
  return nullptr;
}

TaskProgress& RunState::task_of(TreeProgress& tree, const RunEvent& event) {
  auto [it, fresh] = tasks_.try_emplace(event.task_id);
  if (fresh) {
    it->second.id = event.task_id;
    tree.task_ids.push_back(event.task_id);
  }
  if (!event.name.empty()) it->second.name = event.name;
  if (it->second.name.empty()) it->second.name = event.task_id;
  return it->second;
}

bool RunState::apply(const RunEvent& event) {
  TreeProgress* tree = tree_of(event);
  if (tree == nullptr || event.task_id.empty()) return false;
  if (event.type.starts_with("tree_")) {
    if (!tree->ended()) tree->outcome = event.type.substr(5);
    tree->error = event.error;
    if (!event.name.empty()) tree->name = event.name;
    return true;
  }
  TaskProgress& task = task_of(*tree, event);
  if (event.progress) task.progress = *event.progress;
  if (event.type == "task_started") task.status = "in_progress";
  if (event.type == "task_failed") task.status = "failed";
  if (event.type == "task_cancelled") task.status = "cancelled";
  if (event.type == "task_completed") {
    task.status = "completed";
    task.progress = 1;
  }
  if (!event.error.empty()) task.error = event.error;
  if (task.id == tree->root_id) tree->name = task.name;
  return true;
}

void RunState::end_tree(const std::string& root_id, const std::string& outcome,
                        const std::string& error) {
  for (auto& tree : trees_) {
    if (tree.root_id != root_id || tree.ended()) continue;
    tree.outcome = outcome;
    tree.error = error;
  }
}

bool RunState::finished() const {
  for (const auto& tree : trees_) {
    if (!tree.ended()) return false;
  }
  return true;
}

const TaskProgress* RunState::task(const std::string& id) const {
  const auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : &it->second;
}

size_t RunState::ended_tasks(const TreeProgress& tree) const {
  size_t count = 0;
  for (const auto& id : tree.task_ids) {
    if (const auto* t = task(id); t != nullptr && is_final_status(t->status)) ++count;
  }
  return count;
}

std::vector<std::string> RunState::running_tasks(const TreeProgress& tree) const {
  std::vector<std::string> names;
  for (const auto& id : tree.task_ids) {
    if (const auto* t = task(id); t != nullptr && t->status == "in_progress") {
      names.push_back(t->name);
    }
  }
  return names;
}

}  // namespace apflow::plugins::cli
