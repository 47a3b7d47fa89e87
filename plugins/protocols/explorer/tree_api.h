// The task-tree part of the explorer's API, on the apflow.task.list and apflow.task.tree
// modules: the trees to pick from, and one tree with its tasks' structure and dependencies.
#pragma once

#include <memory>
#include <string>

#include "common/http_exchange.h"
#include "explorer/calls_in_flight.h"

namespace apflow::plugins::explorer {

class TreeApi {
 public:
  explicit TreeApi(CallsInFlight& calls) : calls_(calls) {}

  // GET /explorer/api/trees[?limit=N]: {"trees": [root task, ...], "total": N} — the roots
  // among the newest `limit` tasks (default and most 1000), newest first, each with "tasks",
  // how many of those tasks belong to its tree.
  void list(const std::shared_ptr<protocols::HttpExchange>& exchange) const;
  // GET /explorer/api/trees/<task id>: apflow.task.tree's answer (the task and its
  // descendants, nested), or the module's error with 404 for an unknown task.
  void get(const std::shared_ptr<protocols::HttpExchange>& exchange,
           const std::string& task_id) const;

  // The tree list from apflow.task.list's output (exposed for the unit tests).
  static std::string roots_of(std::string_view list_output);

 private:
  CallsInFlight& calls_;
};

}  // namespace apflow::plugins::explorer
