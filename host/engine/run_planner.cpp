#include "engine/run_planner.h"

#include <algorithm>
#include <deque>

#include "core/error.h"

namespace apflow::engine {

RunPlanner::RunPlanner(const Store& store, const Value& target, bool rerun_all,
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

void RunPlanner::prime(TreeTracker& tracker, const RunSet& run) const {
  const std::set<std::string> queued(run.to_queue.begin(), run.to_queue.end());
  for (const auto& tree : run.trees) {
    if (auto it = rows_of_.find(tree); it != rows_of_.end()) {
      tracker.prime(tree, *it->second, queued);
    }
  }
}

std::optional<std::string> RunPlanner::whole_tree(const RunSet& run) const {
  if (run.trees.size() != 1) return std::nullopt;
  const std::string& tree = *run.trees.begin();
  auto it = indexes_.find(tree);
  if (it == indexes_.end() || it->second->by_id.size() != run.to_queue.size()) {
    return std::nullopt;
  }
  return tree;
}

std::vector<std::string> RunPlanner::outside(const RunSet& run, const std::string& tree_id) const {
  std::vector<std::string> out;
  auto it = indexes_.find(tree_id);
  for (const auto& id : run.to_queue) {
    if (it == indexes_.end() || !it->second->by_id.contains(id)) out.push_back(id);
  }
  return out;
}

RunSet RunPlanner::plan(const std::string& target_id) {
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

const Value* RunPlanner::lookup(const std::string& id) {
  for (const auto& [tree, index] : indexes_) {
    if (auto it = index->by_id.find(id); it != index->by_id.end()) return it->second;
  }
  auto row = rows::find(store_, id);  // a dependency in another tree
  if (!row) return nullptr;
  load_tree(rows::text(*row, "task_tree_id"));
  return lookup(id);
}

void RunPlanner::load_tree(const std::string& tree_id) {
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
void RunPlanner::add_with_users(const rows::TreeIndex& index, const std::string& id,
                                const std::string& target_id, bool with_subtree) {
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

}  // namespace apflow::engine
