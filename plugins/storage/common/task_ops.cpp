// create_tasks, get_tasks, update_task and delete_tasks: whole rows in and out.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "storage/common/clock.h"
#include "storage/common/columns.h"
#include "storage/common/errors.h"
#include "storage/common/json_out.h"
#include "storage/common/ops.h"
#include "storage/common/request.h"
#include "storage/common/request_spans.h"
#include "storage/common/row_io.h"
#include "storage/common/row_json.h"
#include "storage/common/sql.h"

namespace apflow::plugins::storage {
namespace {

std::string item_path(const char* list, std::size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

// The ids of `tasks`, refusing one listed twice or already stored. Reads one task at a time.
std::vector<std::string> new_task_ids(Db& db, const RequestSpans& req, sdk::Json& item) {
  std::vector<std::string> ids;
  std::unordered_set<std::string> seen;
  const auto& tasks = req.items("tasks");
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (tasks[i].id.empty()) {  // parsed only to say what is wrong with it
      const auto where = item_path("tasks", i);
      req.parse(tasks[i], item);
      if (!item.IsObject()) throw_invalid("'" + where + "' must be an object");
      need_string(item, "id", where);
    }
    ids.push_back(tasks[i].id);
    if (!seen.insert(ids.back()).second) {
      throw_error(codes::kExists, "task id '" + ids.back() + "' appears twice in the batch");
    }
  }
  const auto stored =
      select_text(db, "SELECT id FROM apflow_tasks WHERE id IN (" + db.dialect.id_set(":ids") + ")",
                  {to_json_array(ids)}, 1);
  std::unordered_set<std::string> existing;
  for (const auto& r : stored) existing.insert(r[0]);
  for (const auto& id : ids) {
    if (existing.count(id) != 0) {
      throw_error(codes::kExists, "task '" + id + "' already exists: choose another id");
    }
  }
  return ids;
}

// Fills an insert buffer from one request row. seq, blockers and queued belong to the store:
// given values are ignored, so a row read back can be created again as it is.
void fill_new_row(Row& row, const JsonValue& task, const std::string& where,
                  const std::string& now) {
  reset_to_defaults(row, now);
  for (const auto& m : task.GetObject()) {
    const std::string_view key(m.name.GetString(), m.name.GetStringLength());
    const auto column = find_column(key);
    if (!column) throw_invalid("unknown field '" + field_path(where, key) + "'");
    if (*column == kSeq || *column == kBlockers || *column == kQueued) continue;
    assign(row, *column, m.value, where);
  }
  if (row[kName].is_null()) throw_invalid("field '" + field_path(where, "name") + "' is required");
}

struct Edges {
  std::vector<std::string> task_ids, depends_on, kinds;
};

Edges read_edges(Db& db, const RequestSpans& req, const std::vector<std::string>& batch_ids,
                 sdk::Json& e) {
  Edges out;
  const auto& edges = req.items("edges");
  if (edges.empty()) return out;
  const std::unordered_set<std::string> batch(batch_ids.begin(), batch_ids.end());
  std::vector<std::string> outside;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const auto where = item_path("edges", i);
    req.parse(edges[i], e);
    if (!e.IsObject()) throw_invalid("'" + where + "' must be an object");
    check_keys(e, {"task_id", "depends_on", "kind"}, where);
    out.task_ids.push_back(need_string(e, "task_id", where));
    out.depends_on.push_back(need_string(e, "depends_on", where));
    out.kinds.push_back(need_string(e, "kind", where));
    const auto& kind = out.kinds.back();
    if (kind != "required" && kind != "optional" && kind != "child") {
      throw_invalid("field '" + where + ".kind' must be 'required', 'optional' or 'child'");
    }
    if (out.task_ids.back() == out.depends_on.back()) {
      throw_invalid("'" + where + "' makes task '" + out.task_ids.back() + "' wait for itself");
    }
    for (const auto* id : {&out.task_ids.back(), &out.depends_on.back()}) {
      if (batch.count(*id) == 0) outside.push_back(*id);
    }
  }
  if (outside.empty()) return out;
  const auto stored =
      select_text(db, "SELECT id FROM apflow_tasks WHERE id IN (" + db.dialect.id_set(":ids") + ")",
                  {to_json_array(outside)}, 1);
  std::unordered_set<std::string> found;
  for (const auto& r : stored) found.insert(r[0]);
  for (const auto& id : outside) {
    if (found.count(id) == 0) {
      throw_error(codes::kNotFound,
                  "an edge names task '" + id + "', which is neither in the batch nor stored");
    }
  }
  return out;
}

}  // namespace

std::string create_tasks(Db& db, std::string_view request) {
  // A tree of many tasks is read one task at a time: its whole DOM was the process's peak.
  const RequestSpans req(request, {"tasks", "edges", "mark_parents", "mark_sources"},
                         {"tasks", "edges"});
  if (!req.has("tasks")) throw_invalid("field 'tasks' is required");
  // One element's DOM at a time, in a reused buffer.
  std::vector<char> buffer(64 * 1024);
  rapidjson::MemoryPoolAllocator<> pool(buffer.data(), buffer.size());
  sdk::Json item(&pool);
  const auto ids = new_task_ids(db, req, item);
  Edges edges = read_edges(db, req, ids, item);
  const std::string now = iso_utc(now_ms());
  if (!ids.empty()) {
    const long long first_seq = db.dialect.reserve_seq(db, static_cast<long long>(ids.size()));
    RowInserter inserter(db);
    const auto& tasks = req.items("tasks");
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      req.parse(tasks[i], item);
      fill_new_row(inserter.row(), item, item_path("tasks", i), now);
      inserter.row()[kSeq].set_integer(first_seq + i);
      inserter.insert();
    }
  }
  if (!edges.task_ids.empty()) {
    // A dependency listed twice is one edge.
    Statement& insert = db.cache.get(
        "INSERT INTO apflow_task_edges (task_id, depends_on, kind) "
        "VALUES (:task_id, :depends_on, :kind) ON CONFLICT DO NOTHING");
    for (std::size_t i = 0; i < edges.task_ids.size(); ++i) {
      insert.bind_text(0, edges.task_ids[i]);
      insert.bind_text(1, edges.depends_on[i]);
      insert.bind_text(2, edges.kinds[i]);
      Run run(insert);
      run.next();
    }
  }
  // Existing rows the new ones attach to, flagged in the same transaction.
  for (const auto& [key, column] :
       {std::pair{"mark_parents", "has_children"}, std::pair{"mark_sources", "has_references"}}) {
    if (!req.has(key)) continue;
    sdk::Json holder(rapidjson::kObjectType);
    holder.AddMember(rapidjson::StringRef(key), JsonValue(req.value(key), holder.GetAllocator()),
                     holder.GetAllocator());
    execute(db,
            std::string("UPDATE apflow_tasks SET ") + column + " = 1 WHERE id IN (" +
                db.dialect.id_set(":ids") + ")",
            {to_json_array(strings(holder, key, true, ""))});
  }
  JsonOut out;
  out.w().StartObject();
  out.field("created", static_cast<int64_t>(ids.size()));
  out.w().EndObject();
  return out.text();
}

std::string get_tasks(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"ids"});
  const auto ids = strings(req, "ids", true, "");
  JsonOut out;
  out.w().StartObject();
  out.key("tasks");
  out.w().StartArray();
  if (ids.size() == 1) {
    // One id (apflow.task.get): written straight from the statement's row.
    Statement& st = db.cache.get(one_row_query());
    st.bind_text(0, ids.front());
    Run run(st);
    if (run.next()) write_row(out, st);
  } else {
    const auto rows = read_rows(db, ids, false);
    std::unordered_map<std::string_view, const Row*> by_id;
    for (const auto& row : rows) by_id.emplace(row[kId].text, &row);
    for (const auto& id : ids) {
      auto it = by_id.find(id);
      if (it != by_id.end()) write_row(out, *it->second);
    }
  }
  out.w().EndArray();
  out.w().EndObject();
  return out.text();
}

std::string update_task(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"id", "set", "expect_status"});
  const std::string id = need_string(req, "id", "");
  const JsonValue* set = member(req, "set");
  if (set == nullptr || !set->IsObject()) throw_invalid("field 'set' must be an object");
  const auto expected = one_or_many(req, "expect_status", "");
  auto rows = read_rows(db, {id}, true);
  if (rows.empty()) throw_error(codes::kNotFound, "task '" + id + "' does not exist");
  Row& row = rows.front();
  const std::string& current = row[kStatus].text;
  if (expected && std::find(expected->begin(), expected->end(), current) == expected->end()) {
    JsonOut details;
    details.w().StartObject();
    details.field("status", current);
    details.w().EndObject();
    throw_error(codes::kConflict, "task '" + id + "' is " + current + ", not the expected status",
                details.text());
  }
  bool updated_at_given = false;
  for (const auto& m : set->GetObject()) {
    const std::string_view key(m.name.GetString(), m.name.GetStringLength());
    const auto column = find_column(key);
    if (!column) throw_invalid("unknown field 'set." + std::string(key) + "'");
    if (*column == kId || *column == kSeq || *column == kBlockers) {
      throw_invalid("field 'set." + std::string(key) + "' cannot be set: the store manages it");
    }
    updated_at_given = updated_at_given || *column == kUpdatedAt;
    assign(row, *column, m.value, "set");
  }
  if (!updated_at_given) row[kUpdatedAt].set_text(iso_utc(now_ms()));
  update_row(db, row);
  JsonOut out;
  write_row(out, row);
  return out.text();
}

std::string delete_tasks(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"ids"});
  const auto ids = strings(req, "ids", true, "");
  if (ids.empty()) return R"({"deleted":0})";
  const std::string set = db.dialect.id_set(":ids");
  const std::string ids_json = to_json_array(ids);
  const auto running = select_text(db,
                                   "SELECT id FROM apflow_tasks WHERE id IN (" + set +
                                       ") AND status = 'in_progress'" + db.dialect.lock_rows(),
                                   {ids_json}, 1);
  if (!running.empty()) {
    throw_error(codes::kRunning, "task '" + running.front()[0] +
                                     "' is in_progress: cancel it and let it stop before "
                                     "deleting; nothing was deleted");
  }
  execute(db,
          "DELETE FROM apflow_task_edges WHERE task_id IN (" + set + ") OR depends_on IN (" +
              db.dialect.id_set(":ids2") + ")",
          {ids_json, ids_json});
  execute(db, "DELETE FROM task_checkpoints WHERE task_id IN (" + set + ")", {ids_json});
  const long long deleted =
      execute(db, "DELETE FROM apflow_tasks WHERE id IN (" + set + ")", {ids_json});
  JsonOut out;
  out.w().StartObject();
  out.field("deleted", static_cast<int64_t>(deleted));
  out.w().EndObject();
  return out.text();
}

}  // namespace apflow::plugins::storage
