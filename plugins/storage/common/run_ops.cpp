// queue_tasks: marks tasks to run and computes their readiness, on the engine's hot path. Every
// step is one set-based statement, whatever the batch size.
#include <algorithm>
#include <unordered_map>

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
  // Distinct: the statements below walk the ids as a join (Dialect::id_rows).
  const auto ids = distinct(strings(req, "ids", true, ""));
  const bool reset = opt_bool(req, "reset", false, "");
  const std::string set = db.dialect.id_set(":ids");
  const std::string ids_json = to_json_array(ids);
  const std::string now = iso_utc(now_ms());
  if (reset) {
    // A running task is left alone here and refused below: the error rolls everything back.
    execute(db,
            "UPDATE apflow_tasks SET status = 'pending', result = NULL, error = NULL, "
            "started_at = NULL, completed_at = NULL, progress = 0, retry_at = NULL, "
            // A task that ended starts a new run; one resumed after a crash keeps its count.
            "lease_expiries = CASE WHEN status = 'pending' THEN lease_expiries ELSE 0 END, "
            "updated_at = :now "
            "WHERE id IN (" +
                set +
                ") AND status <> 'in_progress' AND (status <> 'pending' OR result IS NOT NULL OR "
                "error IS NOT NULL OR started_at IS NOT NULL OR completed_at IS NOT NULL OR "
                "progress <> 0 OR retry_at IS NOT NULL)",  // a fresh task is left as it is
            {now, ids_json});
  }
  // Marks and counts in one pass: each listed pending task is written once.
  const long long queued =
      execute(db,
              std::string(kCountBlockers) + ", queued = 1, updated_at = :now FROM " +
                  db.dialect.id_rows(":ids", "q") +
                  " WHERE apflow_tasks.id = q.value "
                  "AND apflow_tasks.status = 'pending'",
              {now, ids_json});
  Propagation propagation(db, Cascade::kFinish, now);
  propagation.settle_doomed(ids_json);
  // The ready ones and a running one (to refuse a reset), in one more pass over the ids.
  const auto counts = select_text(
      db,
      "SELECT COALESCE(SUM(CASE WHEN t.status = 'pending' AND t.queued = 1 AND t.blockers = 0 "
      "THEN 1 ELSE 0 END), 0), MIN(CASE WHEN t.status = 'in_progress' THEN t.id END) FROM " +
          db.dialect.id_rows(":ids", "q") + " CROSS JOIN apflow_tasks t WHERE t.id = q.value",
      {ids_json}, 2);
  if (reset && !counts.front().null(1)) {
    throw_error(codes::kRunning, "task '" + counts.front()[1] +
                                     "' is in_progress and cannot be reset; nothing was queued");
  }
  const long long ready = counts.front().integer(0);
  JsonOut out;
  out.w().StartObject();
  out.field("queued", static_cast<int64_t>(queued));
  out.field("ready", static_cast<int64_t>(ready));
  propagation.write_changes(out);
  out.w().EndObject();
  return out.text();
}

}  // namespace apflow::plugins::storage
