// `apflow run`: what is known about the trees being run, updated from task events. Pure logic,
// so that a test can feed it a made-up event sequence.
#pragma once

#include <apflow/sdk/json.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace apflow::plugins::cli {

// One task event (docs/engine.md): task_started, task_progress, task_completed, task_failed,
// task_cancelled, tree_completed, tree_failed or tree_cancelled.
struct RunEvent {
  std::string type, task_id, tree_id, name, status, message, error, timestamp;
  std::optional<double> progress{};
};

RunEvent parse_event(const rapidjson::Value& event);

struct TaskProgress {
  std::string id, name;
  std::string status = "pending";
  double progress = 0;
  std::string error{};
};

struct TreeProgress {
  std::string root_id, name;
  std::vector<std::string> task_ids{};  // every task known to belong to it
  std::string outcome{};                // completed, failed or cancelled once it has ended
  std::string error{};
  bool ended() const noexcept { return !outcome.empty(); }
};

class RunState {
 public:
  // Watches a tree. `listing` is its apflow.task.tree output ({"task", "children"}) when known:
  // it names the tasks and says how many there are.
  void add_tree(const std::string& root_id, const rapidjson::Value* listing);
  // Applies an event of a watched tree; false for any other event.
  bool apply(const RunEvent& event);
  // Ends a tree that will send no events (it could not be started).
  void end_tree(const std::string& root_id, const std::string& outcome, const std::string& error);

  bool finished() const;
  const std::vector<TreeProgress>& trees() const noexcept { return trees_; }
  const TaskProgress* task(const std::string& id) const;
  // Tasks of the tree that have ended, and the names of those running now.
  size_t ended_tasks(const TreeProgress& tree) const;
  std::vector<std::string> running_tasks(const TreeProgress& tree) const;

 private:
  void add_listing(TreeProgress& tree, const rapidjson::Value& node, int depth);
  TreeProgress* tree_of(const RunEvent& event);
  TaskProgress& task_of(TreeProgress& tree, const RunEvent& event);

  std::vector<TreeProgress> trees_;
  std::map<std::string, TaskProgress> tasks_;
};

// True for the statuses a task or tree does not leave.
bool is_final_status(const std::string& status);

}  // namespace apflow::plugins::cli
