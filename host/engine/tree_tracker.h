// TreeTracker: what the engine knows about trees with work in this process — when a tree's
// run has ended (to publish tree_completed/failed/cancelled) and the progress of each node
// rolled up to its ancestors. A node with n children counts as n + 1 equal parts: its own run
// and each child's rolled-up progress.
// A cache over the store: every value it reports is persisted or re-read from the store.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "core/event_bus.h"
#include "engine/store.h"

namespace apflow::engine {

class TreeTracker {
 public:
  TreeTracker(const Store& store, EventBus& events) : store_(store), events_(events) {}

  // A run of this tree is under way here: report its end.
  void track(const std::string& tree_id);
  // After state changes in these trees: publish tree_* for each tracked tree with no queued
  // pending or running task left, and forget it.
  void check_finished(const std::set<std::string>& tree_ids);

  // Takes a tree's rows (with parent_id, progress, has_children, status) that the caller has
  // read anyway, instead of reading them again at the first roll-up; `reset` are tasks about to
  // be queued again, whose progress starts over. A tree already known here is kept.
  void prime(const std::string& tree_id, const rapidjson::Value& rows,
             const std::set<std::string>& reset);

  // Records a task's progress; returns every (id, progress) to persist: the task and each
  // ancestor whose rolled-up value changed.
  std::vector<std::pair<std::string, double>> roll_up(const std::string& tree_id,
                                                      const std::string& task_id, double fraction);

 private:
  struct Node {
    const std::string* id = nullptr;  // the key of this node in its Tree
    Node* parent = nullptr;           // null for the root, or a parent outside the tree
    std::size_t children = 0;
    double own = 0;           // the node's own run
    double rolled = 0;        // what is persisted as `progress`
    double children_sum = 0;  // sum of the children's `rolled`, kept current (no rescans)
  };
  // Hashed, and parents linked by pointer (stable in an unordered_map): a roll-up after each
  // finished task walks pointers instead of searching ids.
  using Tree = std::unordered_map<std::string, Node>;

  Tree& load(const std::string& tree_id);  // caller holds mutex_
  static void build(Tree& tree, const rapidjson::Value& rows, const std::set<std::string>& reset);
  // `all_completed`: a look at the tree found no task other than completed ones.
  void publish_end(const std::string& tree_id, bool all_completed);

  const Store& store_;
  EventBus& events_;
  std::mutex mutex_;
  std::set<std::string> active_;
  std::map<std::string, Tree> trees_;
};

}  // namespace apflow::engine
