// queue_tasks and claim_tasks: readiness and claims, on the engine's hot path. Every step is one
// set-based statement, whatever the batch size.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "storage/common/clock.h"
#include "storage/common/columns.h"
#include "storage/common/errors.h"
#include "storage/common/json_out.h"
#include "storage/common/ops.h"
#include "storage/common/propagation.h"
#include "storage/common/request.h"
#include "storage/common/row_io.h"
#include "storage/common/sql.h"

namespace apflow::plugins::storage {
namespace {

// An edge is unsettled while its task is not completed, unless it failed or was cancelled and
// the edge is optional or the waiting task continues past failures.
constexpr const char* kCountBlockers =
    "UPDATE apflow_tasks SET blockers = (SELECT COUNT(*) FROM apflow_task_edges e "
    "JOIN apflow_tasks d ON d.id = e.depends_on WHERE e.task_id = apflow_tasks.id "
    "AND d.status <> 'completed' AND NOT (d.status IN ('failed', 'cancelled') "
    "AND (e.kind = 'optional' OR apflow_tasks.failure_policy = 'continue')))";

}  // namespace

std::string queue_tasks(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"ids", "reset"});
  const auto ids = strings(req, "ids", true, "");
  const bool reset = opt_bool(req, "reset", false, "");
  const std::string set = db.dialect.id_set(":ids");
  const std::string ids_json = to_json_array(ids);
  const std::string now = iso_utc(now_ms());
  if (reset) {
    const auto running = select_text(
        db, "SELECT id FROM apflow_tasks WHERE id IN (" + set + ") AND status = 'in_progress'",
        {ids_json}, 1);
    if (!running.empty()) {
      throw_error(codes::kRunning, "task '" + running.front()[0] +
                                       "' is in_progress and cannot be reset; nothing was queued");
    }
    execute(db,
            "UPDATE apflow_tasks SET status = 'pending', result = NULL, error = NULL, "
            "started_at = NULL, completed_at = NULL, progress = 0, retry_at = NULL, "
            // A task that ended starts a new run; one resumed after a crash keeps its count.
            "lease_expiries = CASE WHEN status = 'pending' THEN lease_expiries ELSE 0 END, "
            "updated_at = :now "
            "WHERE id IN (" +
                set +
                ") AND (status <> 'pending' OR result IS NOT NULL OR error IS NOT NULL OR "
                "started_at IS NOT NULL OR completed_at IS NOT NULL OR progress <> 0 OR "
                "retry_at IS NOT NULL)",  // a fresh task is left as it is: nothing to rewrite
            {now, ids_json});
  }
  // Marks and counts in one pass: each listed pending task is written once.
  const long long queued =
      execute(db,
              std::string(kCountBlockers) + ", queued = 1, updated_at = :now WHERE id IN (" + set +
                  ") AND status = 'pending'",
              {now, ids_json});
  Propagation propagation(db, Cascade::kFinish, now);
  propagation.settle_doomed(ids_json);
  const long long ready = select_integer(db,
                                         "SELECT COUNT(*) FROM apflow_tasks WHERE id IN (" + set +
                                             ") AND status = 'pending' AND queued = 1 "
                                             "AND blockers = 0",
                                         {ids_json});
  JsonOut out;
  out.w().StartObject();
  out.field("queued", static_cast<int64_t>(queued));
  out.field("ready", static_cast<int64_t>(ready));
  propagation.write_changes(out);
  out.w().EndObject();
  return out.text();
}

namespace {

// dependency_results of each claimed task: {depends_on: {"status", "result", "name"}}.
void write_claimed(Db& db, JsonOut& out, const std::vector<Row>& rows,
                   const std::vector<std::size_t>& order, const ColumnMask& fields) {
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const auto& row : rows) ids.push_back(row[kId].text);
  const auto deps = select_text(
      db,
      "SELECT e.task_id, e.depends_on, d.status, d.result, d.name FROM apflow_task_edges e "
      "JOIN apflow_tasks d ON d.id = e.depends_on WHERE e.task_id IN (" +
          db.dialect.id_set(":ids") + ") AND e.kind <> 'child'",
      {to_json_array(ids)}, 5);
  std::unordered_map<std::string, std::vector<const TextRow*>> deps_of;
  for (const auto& d : deps) deps_of[d[0]].push_back(&d);
  auto& w = out.w();
  for (std::size_t i : order) {
    w.StartObject();
    write_fields(out, rows[i], fields);
    out.key("dependency_results");
    w.StartObject();
    for (const TextRow* d : deps_of[rows[i][kId].text]) {
      out.key((*d)[1]);
      w.StartObject();
      out.field("status", (*d)[2]);
      out.key("result");
      if (d->null(3)) {
        w.Null();
      } else {
        out.raw((*d)[3]);
      }
      out.field("name", (*d)[4]);
      w.EndObject();
    }
    w.EndObject();
    w.EndObject();
  }
}

}  // namespace

Claim read_claim(const JsonValue& req, std::string node, const std::string& where) {
  Claim claim;
  claim.node = std::move(node);
  claim.limit = opt_int(req, "limit", 1, 0, where);
  claim.lease_ms = opt_int(req, "lease_ms", 30000, 0, where);
  claim.now = opt_int(req, "now_ms", now_ms(), 0, where);
  claim.fields = requested_columns(req, "fields");
  return claim;
}

void write_claim(Db& db, JsonOut& out, const Claim& claim) {
  // The order below needs priority and seq, whatever the caller reads.
  ColumnMask selected = claim.fields;
  selected.set(kPriority).set(kSeq);
  const std::string at = iso_utc(claim.now);
  // One statement picks the ready tasks off idx_apflow_tasks_ready and takes them; with
  // PostgreSQL's SKIP LOCKED, concurrent claimers pass over each other's rows.
  const auto rows = read_all(
      db,
      "UPDATE apflow_tasks SET status = 'in_progress', started_at = :at, updated_at = :at2, "
      "attempt_count = attempt_count + 1, lease_owner = :node, lease_expires_at = :expires, "
      "retry_at = NULL WHERE id IN (SELECT id FROM apflow_tasks WHERE status = 'pending' AND "
      "queued = 1 AND blockers = 0 AND (retry_at IS NULL OR retry_at <= :now) "
      "ORDER BY priority, seq LIMIT :n" +
          db.dialect.skip_locked() + ") RETURNING " + column_list("", selected),
      {at, at, claim.node, claim.now + claim.lease_ms, claim.now, claim.limit}, selected);
  // RETURNING keeps no order: hand the tasks out as they were picked.
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&rows](std::size_t a, std::size_t b) {
    return std::pair(rows[a][kPriority].integer, rows[a][kSeq].integer) <
           std::pair(rows[b][kPriority].integer, rows[b][kSeq].integer);
  });
  out.key("tasks");
  out.w().StartArray();
  if (!rows.empty()) write_claimed(db, out, rows, order, claim.fields);
  out.w().EndArray();
  // When the next retry waiting in the queue is due, so a claimer can come back then.
  const auto next = select_text(db,
                                "SELECT retry_at FROM apflow_tasks WHERE retry_at IS NOT NULL "
                                "AND status = 'pending' AND queued = 1 ORDER BY retry_at LIMIT 1",
                                {}, 1);
  if (!next.empty()) out.field("next_retry_at", static_cast<int64_t>(std::stoll(next[0][0])));
}

std::string claim_tasks(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"node", "limit", "lease_ms", "now_ms", "fields"});
  const Claim claim = read_claim(req, need_string(req, "node", ""), "");
  JsonOut out;
  out.w().StartObject();
  write_claim(db, out, claim);
  out.w().EndObject();
  return out.text();
}

}  // namespace apflow::plugins::storage
