// Propagation: what happens to queued, pending tasks when a task they wait for settles. One
// wave per level of the graph, each one query for the waiting edges and at most two batched
// updates, all inside the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/common/json_out.h"
#include "storage/common/sql.h"

namespace apflow::plugins::storage {

// A task that has just reached a terminal status, as its dependents see it.
struct Settled {
  std::string id;
  std::string name;  // may be "" for a completed task: only failures are named to dependents
  std::string status;
  std::string error;  // "" when none was recorded
};

// A task whose status propagation (or a lease's expiry) changed.
struct Change {
  std::string id;
  std::string status;
  std::string error;
  std::optional<std::string> task_tree_id;
  std::string name;
};

// One item of "changed": {"id", "name", "status", "error", "task_tree_id"}.
void write_change(JsonOut& out, const Change& change);

enum class Cascade {
  kFinish,  // finish_tasks / queue_tasks: each dependent's failure_policy decides
  kCancel   // cancel_tasks: dependents over required and child edges are cancelled
};

class Propagation {
 public:
  Propagation(Db& db, Cascade mode, std::string now);

  // Settles every edge waiting on `done`, then on each task that fails or is cancelled in turn.
  void run(std::vector<Settled> done);

  // queue_tasks: settles the listed queued, pending tasks that wait over a required or child
  // edge on a task already failed or cancelled, then propagates from them. Such an edge counts
  // as a blocker, so only tasks whose `blockers` were just counted above zero are looked at.
  // `ids_json`: a JSON array of distinct ids.
  void settle_doomed(const std::string& ids_json);

  const std::vector<Change>& changes() const noexcept { return changes_; }
  // How many waiting tasks may have become ready: those whose last blocker went (a settled
  // failure's dependents are counted whenever their count dropped).
  long long released() const noexcept { return released_; }
  // "changed": [{"id", "name", "status", "error", "task_tree_id"}, ...]
  void write_changes(JsonOut& out) const;

 private:
  struct Hit;
  std::vector<Settled> apply(const std::vector<Hit>& hits, const std::vector<Settled>& sources);
  // The waiting dependents of completed tasks: one fewer blocker per edge.
  void release_dependents(const std::string& ids_json);
  void write_decrements(std::vector<std::string> ids, std::vector<long long> counts);
  void write_statuses(const std::vector<Change>& wave);

  Db& db_;
  Cascade mode_;
  std::string now_;
  std::vector<Change> changes_;
  long long released_ = 0;
};

}  // namespace apflow::plugins::storage
