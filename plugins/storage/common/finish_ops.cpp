// finish_tasks and cancel_tasks: tasks reach a terminal status and their dependents follow.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

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

// Columns of finish_tasks' batched update, one entry per finished task.
struct Outcomes {
  std::vector<std::string> ids, statuses, results, errors, usages;
  std::vector<char> has_result, has_error, has_usage, has_progress;
  std::vector<double> progress;
  std::vector<long long> retry_at;  // -1: terminal; otherwise back to the queue until then
  std::vector<long long> refund;    // 1: the attempt did not run and is not counted
  // An inline task (claimed unleased) is counted and started when its outcome is written.
  std::vector<long long> bump;  // 1: unleased
};

// Appends one result of the request.
void read_outcome(const JsonValue& r, const std::string& where, Outcomes& o) {
  if (!r.IsObject()) throw_invalid("'" + where + "' must be an object");
  check_keys(r,
             {"id", "status", "result", "error", "progress", "token_usage", "retry_at", "uncounted",
              "leased"},
             where);
  o.ids.push_back(need_string(r, "id", where));
  o.statuses.push_back(need_string(r, "status", where));
  const auto& st = o.statuses.back();
  if (st != status::kCompleted && st != status::kFailed && st != status::kCancelled) {
    throw_invalid("field '" + where + ".status' must be 'completed', 'failed' or 'cancelled'");
  }
  auto json_member = [&](const char* key, std::vector<std::string>& values,
                         std::vector<char>& given) {
    const JsonValue* v = member(r, key);
    given.push_back(v != nullptr && !v->IsNull() ? 1 : 0);
    values.push_back(given.back() != 0 ? to_text(*v) : std::string());
  };
  json_member("result", o.results, o.has_result);
  json_member("token_usage", o.usages, o.has_usage);
  const auto error = opt_string(r, "error", where);
  o.errors.push_back(error.value_or(""));
  o.has_error.push_back(error ? 1 : 0);
  const JsonValue* p = member(r, "progress");
  if (p != nullptr && (!p->IsNumber() || p->GetDouble() < 0 || p->GetDouble() > 1)) {
    throw_invalid("field '" + where + ".progress' must be a number from 0 to 1");
  }
  // A completed task without a progress report has done all of its work.
  const bool has = p != nullptr || st == status::kCompleted;
  o.progress.push_back(p != nullptr ? p->GetDouble() : 1.0);
  o.has_progress.push_back(has ? 1 : 0);
  o.retry_at.push_back(-1);
  o.refund.push_back(opt_bool(r, "uncounted", false, where) ? 1 : 0);
  o.bump.push_back(opt_bool(r, "leased", true, where) ? 0 : 1);
  if (member(r, "retry_at") != nullptr) {
    if (st != status::kFailed) {
      throw_invalid("field '" + where + ".retry_at' goes with status 'failed' only");
    }
    o.retry_at.back() = opt_int(r, "retry_at", 0, 0, where);
  }
}

// An outcome is written only while it is still live: a leased task while `node` holds it; an
// inline task (claimed unleased) while still ready: nobody cancelled, leased or finished it
// since. The condition ends each outcome's UPDATE, so the check and the write are one
// statement; its parameters come last, :leased (1 or 0) and then :node.
const std::string kWhileLive =
    " AND ((:leased = 1 AND status = 'in_progress' AND lease_owner = :node) OR "
    "(:leased = 0 AND status = 'pending' AND queued = 1 AND blockers = 0 AND "
    "lease_owner IS NULL))";

void bind_live(Statement& st, int first, const Outcomes& o, std::size_t i,
               const std::string& node) {
  st.bind_integer(first, o.bump[i] != 0 ? 0 : 1);
  st.bind_text(first + 1, node);
}

// The usual outcome of a fan-out, an inline task completed without token usage, written with
// fewer columns: each column an UPDATE sets costs SQLite the upkeep of the indexes that name it
// (the leases' and the retries'), whatever the value. False when the row is not as this expects
// (stale, or with a retry time or a lease expiry left to clear): the full statement decides.
bool write_inline_completion(Db& db, const Outcomes& o, std::size_t i, const std::string& now) {
  Statement& update = db.cache.get(
      "UPDATE apflow_tasks SET status = 'completed', result = :result, error = NULL, "
      "progress = :progress, completed_at = :done, updated_at = :now, queued = 0, "
      "attempt_count = attempt_count + 1, started_at = :started WHERE id = :id "
      "AND status = 'pending' AND queued = 1 AND blockers = 0 AND lease_owner IS NULL "
      "AND lease_expires_at IS NULL AND retry_at IS NULL");
  if (o.has_result[i] != 0) update.bind_text(0, o.results[i]);
  update.bind_real(1, o.progress[i]);
  update.bind_text(2, now);
  update.bind_text(3, now);
  update.bind_text(4, now);
  update.bind_text(5, o.ids[i]);
  Run run(update);
  run.next();
  return update.changes() == 1;
}

// Writes outcome i of `o` if it is live; false when the result is stale.
bool write_outcome(Db& db, const Outcomes& o, std::size_t i, const std::string& now,
                   const std::string& node) {
  if (o.bump[i] != 0 && o.statuses[i] == status::kCompleted && o.has_usage[i] == 0 &&
      o.has_progress[i] != 0 && write_inline_completion(db, o, i, now)) {
    return true;
  }
  Statement& update = db.cache.get(
      "UPDATE apflow_tasks SET status = :status, result = :result, error = :error, "
      "progress = COALESCE(:progress, progress), token_usage = COALESCE(:usage, token_usage), "
      "completed_at = :done, updated_at = :now, lease_owner = NULL, lease_expires_at = NULL, "
      "queued = 0, retry_at = NULL, attempt_count = attempt_count + :bump, "
      "started_at = COALESCE(:started, started_at) WHERE id = :id" +
      kWhileLive);
  update.bind_text(0, o.statuses[i]);
  if (o.has_result[i] != 0) update.bind_text(1, o.results[i]);
  if (o.has_error[i] != 0) update.bind_text(2, o.errors[i]);
  if (o.has_progress[i] != 0) update.bind_real(3, o.progress[i]);
  if (o.has_usage[i] != 0) update.bind_text(4, o.usages[i]);
  update.bind_text(5, now);
  update.bind_text(6, now);
  update.bind_integer(7, o.bump[i]);
  if (o.bump[i] != 0) update.bind_text(8, now);  // unbound parameters are NULL
  update.bind_text(9, o.ids[i]);
  bind_live(update, 10, o, i, node);
  Run run(update);
  run.next();
  return update.changes() == 1;
}

// The name of a task that failed or was cancelled: its dependents' errors name it. (Asked only
// then: RETURNING on the outcome's UPDATE would cost SQLite more than the update itself.)
std::string task_name(Db& db, const Outcomes& o, std::size_t i) {
  if (o.statuses[i] == status::kCompleted) return {};
  const auto rows = select_text(db, "SELECT name FROM apflow_tasks WHERE id = :id", {o.ids[i]}, 1);
  return rows.empty() ? std::string() : rows.front()[0];
}

// A failed attempt that will be retried goes back to the queue, waiting until its retry_at,
// with the error kept for people to see; nothing propagates. False when the result is stale.
bool requeue_retry(Db& db, const Outcomes& o, std::size_t i, const std::string& now,
                   const std::string& node) {
  Statement& update = db.cache.get(
      "UPDATE apflow_tasks SET status = 'pending', error = :error, retry_at = :at, "
      "lease_owner = NULL, lease_expires_at = NULL, updated_at = :now, "
      "attempt_count = attempt_count - :refund WHERE id = :id" +
      kWhileLive);
  update.bind_text(0, o.errors[i]);
  update.bind_integer(1, o.retry_at[i]);
  update.bind_text(2, now);
  update.bind_integer(3, o.refund[i] - o.bump[i]);
  update.bind_text(4, o.ids[i]);
  bind_live(update, 5, o, i, node);
  Run run(update);
  run.next();
  return update.changes() == 1;
}

}  // namespace

std::string finish_tasks(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"node", "results", "progress", "claim"});
  const std::string node = need_string(req, "node", "");
  const JsonValue& results = *array(req, "results", true, "");
  Outcomes o;
  for (rapidjson::SizeType i = 0; i < results.Size(); ++i) {
    read_outcome(results[i], "results[" + std::to_string(i) + "]", o);
  }
  const std::string now = iso_utc(now_ms());
  std::vector<std::string> stale, retrying, finished, completed;
  std::vector<Settled> settled;
  std::unordered_set<std::string_view> taken;
  for (std::size_t i = 0; i < o.ids.size(); ++i) {
    const std::string& id = o.ids[i];
    // The first result for an id wins; a repeat is stale like any late report.
    const bool retry = o.retry_at[i] >= 0;
    const bool written = !taken.contains(id) && (retry ? requeue_retry(db, o, i, now, node)
                                                       : write_outcome(db, o, i, now, node));
    if (written && retry) {
      retrying.push_back(id);
    } else if (written) {
      finished.push_back(id);
      settled.push_back(Settled{id, task_name(db, o, i), o.statuses[i], o.errors[i]});
      if (o.statuses[i] == status::kCompleted) completed.push_back(id);
    }
    if (written) {
      taken.insert(id);
    } else {
      stale.push_back(id);
    }
  }
  // Checkpoints are rare: spare the usual batch a pass over its ids when there are none.
  if (!completed.empty() &&
      select_integer(db, "SELECT EXISTS (SELECT 1 FROM task_checkpoints)", {}) != 0) {
    execute(db, "DELETE FROM task_checkpoints WHERE task_id IN (" + db.dialect.id_set(":ids") + ")",
            {to_json_array(completed)});
  }
  Propagation propagation(db, Cascade::kFinish, now);
  propagation.run(std::move(settled));
  // Progress rolled up from these results is written in the same transaction.
  if (const JsonValue* progress = member(req, "progress")) {
    rapidjson::StringBuffer text;
    rapidjson::Writer<rapidjson::StringBuffer> writer(text);
    writer.StartObject();
    writer.Key("progress");
    progress->Accept(writer);
    writer.EndObject();
    record_progress(db, std::string_view(text.GetString(), text.GetSize()));
  }
  JsonOut out;
  out.w().StartObject();
  out.string_list("finished", finished);
  out.string_list("stale", stale);
  out.string_list("retrying", retrying);
  out.field("released", static_cast<int64_t>(propagation.released()));
  propagation.write_changes(out);
  // The next claim rides in the same transaction: one commit per step of a chain, not two.
  if (const JsonValue* claim = member(req, "claim")) {
    if (!claim->IsObject()) throw_invalid("field 'claim' must be an object");
    check_keys(*claim,
               {"limit", "lease_ms", "now_ms", "fields", "inline_executors", "inline_limit",
                "running_inline", "after"},
               "claim");
    write_claim(db, out, read_claim(*claim, node, "claim"));
  }
  out.w().EndObject();
  return out.text();
}

std::string cancel_tasks(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"ids", "error"});
  const auto ids = strings(req, "ids", true, "");
  const std::string error = opt_string(req, "error", "").value_or("Cancelled by user");
  const auto rows = select_text(db,
                                "SELECT id, status, name, task_tree_id FROM apflow_tasks WHERE id "
                                "IN (" +
                                    db.dialect.id_set(":ids") + ")" + db.dialect.lock_rows(),
                                {to_json_array(ids)}, 4);
  std::unordered_map<std::string, const TextRow*> by_id;
  for (const auto& r : rows) by_id.emplace(r[0], &r);
  std::vector<const TextRow*> cancelled;
  std::vector<std::string> cancel_ids;
  std::vector<Settled> settled;
  for (const auto& id : ids) {
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;
    const TextRow& r = *it->second;
    if (r[1] != status::kPending && r[1] != status::kInProgress) continue;
    by_id.erase(it);  // listed twice: cancelled once
    cancelled.push_back(&r);
    cancel_ids.push_back(id);
    settled.push_back(Settled{id, r[2], std::string(status::kCancelled), error});
  }
  const std::string now = iso_utc(now_ms());
  if (!cancel_ids.empty()) {
    execute(db,
            "UPDATE apflow_tasks SET status = 'cancelled', error = :error, completed_at = :done, "
            "updated_at = :now, lease_owner = NULL, lease_expires_at = NULL, queued = 0, "
            "retry_at = NULL "
            "WHERE id IN (" +
                db.dialect.id_set(":ids") + ")",
            {error, now, now, to_json_array(cancel_ids)});
  }
  Propagation propagation(db, Cascade::kCancel, now);
  propagation.run(std::move(settled));
  JsonOut out;
  auto& w = out.w();
  w.StartObject();
  out.key("cancelled");
  w.StartArray();
  for (const TextRow* r : cancelled) {
    w.StartObject();
    out.field("id", (*r)[0]);
    out.field("was", (*r)[1]);
    out.key("task_tree_id");
    if (r->null(3)) {
      w.Null();
    } else {
      out.string((*r)[3]);
    }
    w.EndObject();
  }
  w.EndArray();
  propagation.write_changes(out);
  w.EndObject();
  return out.text();
}

}  // namespace apflow::plugins::storage
