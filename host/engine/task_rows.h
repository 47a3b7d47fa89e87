// Reading task rows (JSON objects in apflow's field names) and whole trees from the store.
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/store.h"

namespace apflow::engine::rows {

using rapidjson::Value;

std::string text(const Value& row, const char* key);
bool flag(const Value& row, const char* key);
// The row of `id`, or nothing.
std::optional<rapidjson::Document> find(const Store& store, const std::string& id);
// The row of `id`; throws Error(TASK_NOT_FOUND) "Task '<id>' not found".
rapidjson::Document require(const Store& store, const std::string& id);
// The order of a tree's rows: as they run (priority, then insertion), or any order, which
// spares the store a sort of the whole tree where the order does not matter.
enum class RowOrder { kByPriority, kAny };
// Every row of a tree, in `order`; only `fields` (and id) when given.
rapidjson::Document tree_rows(const Store& store, const std::string& tree_id,
                              const std::vector<std::string_view>& fields = {},
                              RowOrder order = RowOrder::kByPriority);

// A tree's rows indexed for walking: children by parent id, rows by id.
struct TreeIndex {
  std::unordered_map<std::string, const Value*> by_id;
  std::unordered_map<std::string, std::vector<std::string>> children;  // in row order
  explicit TreeIndex(const Value& rows);
  // `id` and every descendant, pre-order.
  std::vector<std::string> subtree(const std::string& id) const;
};

// Drops the store's bookkeeping (blockers, seq, queued) from a row shown to users; the other
// members keep their order.
void strip_internal(Value& row);

// Appends a readiness edge {task_id, depends_on, kind} (docs/storage.md) to an array.
void push_edge(Value& edges, rapidjson::Document::AllocatorType& allocator,
               const std::string& task_id, const std::string& depends_on, const char* kind);

// The ids of a task's dependencies (dict or string forms).
std::vector<std::string> dependency_ids(const Value& row);

// For a link row: the source row it stands for (following original_task_id), with the link's
// own id, parent_id, user_id, task_tree_id, origin_type, created_at and updated_at kept.
// Other rows are returned unchanged. Throws Error when the source is gone.
rapidjson::Document resolve_link(const Store& store, const Value& row);
rapidjson::Document resolve_link(const Store& store, rapidjson::Document&& row);

// A task as users see it (resolve_link of its row, without the bookkeeping) and its JSON text.
// For a row that is not a link the text is the store's own text of the row with the bookkeeping
// cut out, not a document written again; the document is then parsed in place from a copy of
// that text and its strings live in `buffer`.
struct ShownTask {
  std::unique_ptr<char[]> buffer;  // room for the document's pool, then the text it parsed
  std::unique_ptr<rapidjson::MemoryPoolAllocator<>> pool;
  rapidjson::Document row;
  std::string text;
};
// Throws Error(TASK_NOT_FOUND) "Task '<id>' not found", as require() does.
ShownTask shown_task(const Store& store, const std::string& id);

}  // namespace apflow::engine::rows
