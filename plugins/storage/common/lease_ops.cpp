// renew_leases, expire_leases, record_progress, save_checkpoint and load_checkpoint.
#include <unordered_set>

#include "storage/common/clock.h"
#include "storage/common/errors.h"
#include "storage/common/json_out.h"
#include "storage/common/ops.h"
#include "storage/common/request.h"
#include "storage/common/sql.h"

namespace apflow::plugins::storage {
namespace {

struct Progress {
  std::vector<double> values;
  std::vector<std::string> nows, ids;
};

}  // namespace

std::string renew_leases(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"node", "ids", "lease_ms", "now_ms"});
  const std::string node = need_string(req, "node", "");
  const auto ids = strings(req, "ids", true, "");
  const long long lease_ms = opt_int(req, "lease_ms", 30000, 0, "");
  const long long now = opt_int(req, "now_ms", now_ms(), 0, "");
  const std::string held = " WHERE id IN (" + db.dialect.id_set(":ids") +
                           ") AND status = 'in_progress' AND lease_owner = :node";
  const std::string ids_json = to_json_array(ids);
  const auto rows = select_text(db, "SELECT id FROM apflow_tasks" + held + db.dialect.lock_rows(),
                                {ids_json, node}, 1);
  std::unordered_set<std::string> held_ids;
  for (const auto& r : rows) held_ids.insert(r[0]);
  std::vector<std::string> renewed;
  for (const auto& id : ids) {
    if (held_ids.erase(id) != 0) renewed.push_back(id);
  }
  if (!renewed.empty()) {
    execute(db, "UPDATE apflow_tasks SET lease_expires_at = :expires" + held,
            {now + lease_ms, ids_json, node});
  }
  JsonOut out;
  out.w().StartObject();
  out.string_list("renewed", renewed);
  out.w().EndObject();
  return out.text();
}

std::string expire_leases(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"now_ms"});
  const long long now = opt_int(req, "now_ms", now_ms(), 0, "");
  const auto rows = select_text(db,
                                "SELECT id, task_tree_id, attempt_count FROM apflow_tasks "
                                "WHERE status = 'in_progress' AND lease_expires_at < :now "
                                "ORDER BY seq" +
                                    db.dialect.lock_rows(),
                                {now}, 3);
  std::vector<std::string> ids;
  for (const auto& r : rows) ids.push_back(r[0]);
  if (!ids.empty()) {
    // Still queued, so the task is ready again; attempt_count keeps the attempt it used.
    execute(db,
            "UPDATE apflow_tasks SET status = 'pending', lease_owner = NULL, "
            "lease_expires_at = NULL, updated_at = :now WHERE id IN (" +
                db.dialect.id_set(":ids") + ")",
            {iso_utc(now_ms()), to_json_array(ids)});
  }
  JsonOut out;
  auto& w = out.w();
  w.StartObject();
  out.key("expired");
  w.StartArray();
  for (const auto& r : rows) {
    w.StartObject();
    out.field("id", r[0]);
    out.key("task_tree_id");
    if (r.null(1)) {
      w.Null();
    } else {
      out.string(r[1]);
    }
    out.field("attempt_count", static_cast<int64_t>(r.integer(2)));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out.text();
}

std::string record_progress(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"progress"});
  const JsonValue& items = *array(req, "progress", true, "");
  std::vector<std::string> ids;
  std::vector<double> values;
  for (rapidjson::SizeType i = 0; i < items.Size(); ++i) {
    const std::string where = "progress[" + std::to_string(i) + "]";
    if (!items[i].IsObject()) throw_invalid("'" + where + "' must be an object");
    check_keys(items[i], {"id", "progress"}, where);
    ids.push_back(need_string(items[i], "id", where));
    const JsonValue* p = member(items[i], "progress");
    if (p == nullptr || !p->IsNumber() || p->GetDouble() < 0 || p->GetDouble() > 1) {
      throw_invalid("field '" + where + ".progress' must be a number from 0 to 1");
    }
    values.push_back(p->GetDouble());
  }
  long long updated = 0;
  if (!ids.empty()) {
    // A report that arrives after the task finished must not undo its final progress.
    auto& update = db.cache.get<Progress>(
        "UPDATE apflow_tasks SET progress = :p, updated_at = :now WHERE id = :id AND status IN "
        "('pending', 'in_progress')",
        [](Progress& b, soci::statement& st) {
          st.exchange(soci::use(b.values));
          st.exchange(soci::use(b.nows));
          st.exchange(soci::use(b.ids));
        });
    update.buffers.values = std::move(values);
    update.buffers.nows.assign(ids.size(), iso_utc(now_ms()));
    update.buffers.ids = std::move(ids);
    update.st.execute(true);
    updated = update.st.get_affected_rows();
  }
  JsonOut out;
  out.w().StartObject();
  out.field("updated", static_cast<int64_t>(updated));
  out.w().EndObject();
  return out.text();
}

std::string save_checkpoint(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"task_id", "data"});
  const std::string task_id = need_string(req, "task_id", "");
  const JsonValue* data = member(req, "data");
  if (data == nullptr) throw_invalid("field 'data' is required");
  if (select_integer(db, "SELECT COUNT(*) FROM apflow_tasks WHERE id = :id", {task_id}) == 0) {
    throw_error(codes::kNotFound, "task '" + task_id + "' does not exist");
  }
  // One checkpoint per task, so the task id serves as the checkpoint's id.
  execute(db,
          "INSERT INTO task_checkpoints (id, task_id, checkpoint_data, step_name, created_at) "
          "VALUES (:id, :task_id, :data, NULL, :now) ON CONFLICT (task_id) DO UPDATE SET "
          "checkpoint_data = excluded.checkpoint_data, created_at = excluded.created_at",
          {task_id, task_id, to_text(*data), iso_utc(now_ms())});
  return "{}";
}

std::string load_checkpoint(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"task_id"});
  const std::string task_id = need_string(req, "task_id", "");
  const auto rows = select_text(
      db, "SELECT checkpoint_data FROM task_checkpoints WHERE task_id = :id", {task_id}, 1);
  if (rows.empty()) return "{}";
  JsonOut out;
  out.w().StartObject();
  out.key("data");
  out.raw(rows.front()[0]);
  out.w().EndObject();
  return out.text();
}

}  // namespace apflow::plugins::storage
