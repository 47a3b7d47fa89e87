// renew_leases, expire_leases, record_progress, save_checkpoint and load_checkpoint.
#include <unordered_map>
#include <unordered_set>

#include "storage/common/clock.h"
#include "storage/common/columns.h"
#include "storage/common/errors.h"
#include "storage/common/json_out.h"
#include "storage/common/ops.h"
#include "storage/common/propagation.h"
#include "storage/common/request.h"
#include "storage/common/sql.h"

namespace apflow::plugins::storage {
namespace {

// The tasks among `ids` that `node` holds (in_progress, its lease), in request order, and the
// WHERE clause that selects them again bound to (ids_json, node).
struct Held {
  std::string where, ids_json;
  std::vector<std::string> ids;
};

Held held_by(Db& db, const std::string& node, const std::vector<std::string>& ids) {
  Held held{" WHERE id IN (" + db.dialect.id_set(":ids") +
                ") AND status = 'in_progress' AND lease_owner = :node",
            to_json_array(ids),
            {}};
  const auto rows =
      select_text(db, "SELECT id FROM apflow_tasks" + held.where + db.dialect.lock_rows(),
                  {held.ids_json, node}, 1);
  std::unordered_set<std::string> found;
  for (const auto& r : rows) found.insert(r[0]);
  for (const auto& id : ids) {
    if (found.erase(id) != 0) held.ids.push_back(id);
  }
  return held;
}

// Tasks `node` hands back on purpose: queued again at once, and not counted as abandoned.
// Returns the ids it released.
std::vector<std::string> hand_back(Db& db, const std::string& node,
                                   const std::vector<std::string>& ids, const std::string& at) {
  Held held = held_by(db, node, ids);
  if (!held.ids.empty()) {
    execute(db,
            "UPDATE apflow_tasks SET status = 'pending', lease_owner = NULL, "
            "lease_expires_at = NULL, updated_at = :now" +
                held.where,
            {at, held.ids_json, node});
  }
  return std::move(held.ids);
}

std::string abandoned_error(const std::string& id, long long times) {
  return "Task " + id + " was abandoned " + std::to_string(times) +
         " times (its process stopped or lost its lease while running it); failed to protect "
         "the service. Re-execute it to try again";
}

// Counts one more expiry for each task of `rows` (id, task_tree_id, attempt_count,
// lease_expiries, name) and queues it again, or fails it once it has been abandoned more than
// `limit` times (limit < 0: no limit). Returns the failed ones, for propagation.
std::vector<Settled> settle_expired(Db& db, const std::vector<TextRow>& rows, long long limit,
                                    const std::string& at) {
  std::vector<std::string> requeued;
  std::vector<Settled> abandoned;
  for (const auto& r : rows) {
    const long long expiries = r.integer(3) + 1;
    if (limit >= 0 && expiries > limit) {
      abandoned.push_back(
          Settled{r[0], r[4], std::string(status::kFailed), abandoned_error(r[0], expiries)});
    } else {
      requeued.push_back(r[0]);
    }
  }
  if (!requeued.empty()) {
    // Still queued, so the task is ready again; attempt_count keeps the attempt it used.
    execute(db,
            "UPDATE apflow_tasks SET status = 'pending', lease_owner = NULL, "
            "lease_expires_at = NULL, lease_expiries = lease_expiries + 1, updated_at = :now "
            "WHERE id IN (" +
                db.dialect.id_set(":ids") + ")",
            {at, to_json_array(requeued)});
  }
  for (const auto& task : abandoned) {
    execute(db,
            "UPDATE apflow_tasks SET status = 'failed', error = :error, completed_at = :done, "
            "updated_at = :now, lease_owner = NULL, lease_expires_at = NULL, queued = 0, "
            "lease_expiries = lease_expiries + 1 WHERE id = :id",
            {task.error, at, at, task.id});
  }
  return abandoned;
}

// "expired": every task whose lease ran out, whether queued again or abandoned.
void write_expired(JsonOut& out, const std::vector<TextRow>& rows) {
  auto& w = out.w();
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
    out.field("lease_expiries", static_cast<int64_t>(r.integer(3) + 1));
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string renew_leases(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"node", "ids", "lease_ms", "now_ms"});
  const std::string node = need_string(req, "node", "");
  const auto ids = strings(req, "ids", true, "");
  const long long lease_ms = opt_int(req, "lease_ms", 30000, 0, "");
  const long long now = opt_int(req, "now_ms", now_ms(), 0, "");
  const Held held = held_by(db, node, ids);
  if (!held.ids.empty()) {
    execute(db, "UPDATE apflow_tasks SET lease_expires_at = :expires" + held.where,
            {now + lease_ms, held.ids_json, node});
  }
  JsonOut out;
  out.w().StartObject();
  out.string_list("renewed", held.ids);
  out.w().EndObject();
  return out.text();
}

std::string expire_leases(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"now_ms", "max_expiries", "node", "release"});
  const long long now = opt_int(req, "now_ms", now_ms(), 0, "");
  const long long limit = opt_int(req, "max_expiries", -1, 0, "");
  const std::string at = iso_utc(now_ms());
  // A node handing its tasks back on purpose (a clean stop) has not abandoned them.
  const auto release = strings(req, "release", false, "");
  std::vector<std::string> released;
  if (!release.empty()) released = hand_back(db, need_string(req, "node", ""), release, at);
  const auto rows = select_text(db,
                                "SELECT id, task_tree_id, attempt_count, lease_expiries, name "
                                "FROM apflow_tasks WHERE status = 'in_progress' AND "
                                "lease_expires_at < :now ORDER BY seq" +
                                    db.dialect.lock_rows(),
                                {now}, 5);
  const std::vector<Settled> abandoned = settle_expired(db, rows, limit, at);
  Propagation propagation(db, Cascade::kFinish, at);
  propagation.run(abandoned);
  JsonOut out;
  auto& w = out.w();
  w.StartObject();
  write_expired(out, rows);
  out.string_list("released", released);
  std::vector<std::string> abandoned_ids;
  for (const auto& task : abandoned) abandoned_ids.push_back(task.id);
  out.string_list("abandoned", abandoned_ids);
  // The abandoned tasks first, then the dependents their failure reached.
  std::unordered_map<std::string, std::string> trees;
  for (const auto& r : rows) trees.emplace(r[0], r.null(1) ? std::string() : r[1]);
  out.key("changed");
  w.StartArray();
  for (const auto& task : abandoned) {
    write_change(out, Change{task.id, task.status, task.error, trees.at(task.id), task.name});
  }
  for (const auto& change : propagation.changes()) write_change(out, change);
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
    Statement& update = db.cache.get(
        "UPDATE apflow_tasks SET progress = :p, updated_at = :now WHERE id = :id AND status IN "
        "('pending', 'in_progress')");
    const std::string now = iso_utc(now_ms());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      update.bind_real(0, values[i]);
      update.bind_text(1, now);
      update.bind_text(2, ids[i]);
      Run run(update);
      run.next();
      updated += update.changes();
    }
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
