// RunPlanner: decides what an execution runs — the target's subtree, every task those wait for
// that has not completed (in any tree), and the subtrees of those (a parent waits for its
// children) — from the trees it reads, and hands those rows to the run's progress tracker.
// Knows the engine's rules of re-execution (rerun, task_ids); writes nothing.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/store.h"
#include "engine/task_rows.h"
#include "engine/tree_tracker.h"

namespace apflow::engine {

using Json = rapidjson::Document;
using rapidjson::Value;

// What an execution runs: the tasks to queue, and the trees they belong to.
struct RunSet {
  std::vector<std::string> to_queue;
  std::set<std::string> trees;
};

class RunPlanner {
 public:
  // Reads the target's tree. rerun_all: everything under the target runs again. selected: these
  // tasks run again, with everything that used their results (their subtrees, their dependents,
  // and the ancestors up to the target, since a parent's own run comes after its children's);
  // throws GENERAL_INVALID_INPUT for a task outside the target's subtree.
  RunPlanner(const Store& store, const Value& target, bool rerun_all,
             const std::vector<std::string>& selected);

  RunSet plan(const std::string& target_id);

  // Hands the trees read for planning to the tracker of the run's progress.
  void prime(TreeTracker& tracker, const RunSet& run) const;

  // The tree whose every task the run queues, if it is one tree: the store then reaches them
  // through the tree's index instead of looking up each id.
  std::optional<std::string> whole_tree(const RunSet& run) const;

  // The tasks of the run outside `tree_id`.
  std::vector<std::string> outside(const RunSet& run, const std::string& tree_id) const;

 private:
  const Value* lookup(const std::string& id);
  void load_tree(const std::string& tree_id);
  void add_with_users(const rows::TreeIndex& index, const std::string& id,
                      const std::string& target_id, bool with_subtree = true);

  const Store& store_;
  std::set<std::string> forced_;  // the target's subtree: always part of the run
  std::set<std::string> reset_;   // completed tasks that run again
  std::vector<std::unique_ptr<Json>> trees_;
  std::map<std::string, std::unique_ptr<rows::TreeIndex>> indexes_;
  std::map<std::string, const Json*> rows_of_;
};

}  // namespace apflow::engine
