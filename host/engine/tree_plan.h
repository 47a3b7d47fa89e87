// TreePlan: turns a task array (apflow's create_task_tree_from_array input) into the rows and
// readiness edges to store, with every check of reference §2.1 and more: parent_id cycles, and
// dependencies that could never run because the parent waits for its children.
// Pure logic: no storage. Throws Error(GENERAL_INVALID_INPUT) with apflow's messages.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <vector>

namespace apflow::engine {

struct TreeOptions {
  std::string failure_policy = "fail";  // fail | skip | continue
  std::string injection = "by_id";      // by_id | merge
  bool parent_after_children = true;    // a parent waits for all its children
  int max_attempts = 3;                 // of a task that sets none (durability.max_attempts)
};

struct TreePlan {
  rapidjson::Document rows;  // array of task rows (docs/storage.md), unless written

  rapidjson::Document edges;                // array of {task_id, depends_on, kind}
  std::vector<std::string> root_ids;        // array order
  std::vector<std::string> first_tree_ids;  // the first root's tree, pre-order
  std::vector<std::string> all_ids;         // array order
  std::vector<std::string> tree_ids;        // task_tree_id of each root, same order as root_ids
};

using RowWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// `tasks` must be a JSON array. `now_iso` stamps created_at/updated_at. With `rows_out`, each
// row is written there as it is planned (into an array the caller has opened) and `rows` stays
// empty: a tree of 100,000 tasks is then never held whole as a DOM.
TreePlan plan_tree(const rapidjson::Value& tasks, const TreeOptions& options,
                   const std::string& now_iso, RowWriter* rows_out = nullptr);

// Checks options; throws Error naming the bad value.
void check_tree_options(const TreeOptions& options);

}  // namespace apflow::engine
