// claim_tasks: ready tasks handed to a node, on the engine's hot path. Tasks whose executor the
// caller runs inline are read, not written: it runs them at once and hands them to finish_tasks
// unleased, which compares and sets their status (docs/storage.md, "Inline tasks"). A task is
// then written twice in its run (queued, finished) instead of three times.
#include <rapidjson/document.h>

#include <algorithm>
#include <unordered_map>

#include "storage/common/clock.h"
#include "storage/common/columns.h"
#include "storage/common/json_out.h"
#include "storage/common/ops.h"
#include "storage/common/request.h"
#include "storage/common/row_io.h"
#include "storage/common/row_json.h"
#include "storage/common/sql.h"

namespace apflow::plugins::storage {
namespace {

// What makes a task ready; `:now` is the claim's clock. The first three terms are those of
// idx_apflow_tasks_ready, so every query below walks that index in claim order.
constexpr const char* kReady =
    "status = 'pending' AND queued = 1 AND blockers = 0 AND (retry_at IS NULL OR retry_at <= :now)";

constexpr const char* kTake =
    "UPDATE apflow_tasks SET status = 'in_progress', started_at = :at, updated_at = :at2, "
    "attempt_count = attempt_count + 1, lease_owner = :node, lease_expires_at = :expires, "
    "retry_at = NULL WHERE ";

// dependency_results of each row: {depends_on: {"status", "result", "name"}}; rows in `order`.
void write_claimed(Db& db, JsonOut& out, const std::vector<Row>& rows,
                   const std::vector<std::size_t>& order, const ColumnMask& fields) {
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const auto& row : rows) ids.push_back(row[kId].text);
  const auto deps =
      select_text(db,
                  "SELECT e.task_id, e.depends_on, d.status, d.result, d.name FROM " +
                      db.dialect.id_rows(":ids", "c") +
                      " CROSS JOIN apflow_task_edges e CROSS JOIN apflow_tasks d "
                      "WHERE e.task_id = c.value AND d.id = e.depends_on AND e.kind <> 'child'",
                  {to_json_array(ids)}, 5);
  std::unordered_map<std::string, std::vector<const TextRow*>> deps_of;
  for (const auto& d : deps) deps_of[d[0]].push_back(&d);
  std::string text;
  for (std::size_t i : order) {
    text.assign("{");
    append_fields(text, rows[i], fields);
    text += ",\"dependency_results\":{";
    bool first = true;
    for (const TextRow* d : deps_of[rows[i][kId].text]) {
      if (!first) text += ',';
      first = false;
      append_string(text, (*d)[1]);
      text += ":{\"status\":";
      append_string(text, (*d)[2]);
      text += ",\"result\":";
      text += d->null(3) ? std::string_view("null") : std::string_view((*d)[3]);
      text += ",\"name\":";
      append_string(text, (*d)[4]);
      text += '}';
    }
    text += "}}";
    out.raw(text);
  }
}

void write_rows(Db& db, JsonOut& out, const char* key, const std::vector<Row>& rows,
                const ColumnMask& fields) {
  // RETURNING keeps no order: hand the tasks out in claim order.
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&rows](std::size_t a, std::size_t b) {
    return std::pair(rows[a][kPriority].integer, rows[a][kSeq].integer) <
           std::pair(rows[b][kPriority].integer, rows[b][kSeq].integer);
  });
  out.key(key);
  out.w().StartArray();
  if (!rows.empty()) write_claimed(db, out, rows, order, fields);
  out.w().EndArray();
}

// params.executor_id, else schemas.method: the executor the engine will run the task with.
std::string executor_of(const Row& row) {
  for (auto [column, key] : {std::pair{kParams, "executor_id"}, std::pair{kSchemas, "method"}}) {
    const Cell& cell = row[column];
    if (cell.is_null()) continue;
    rapidjson::Document object;
    object.Parse(cell.text.data(), cell.text.size());
    if (!object.IsObject()) continue;
    auto it = object.FindMember(key);
    if (it != object.MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0) {
      return {it->value.GetString(), it->value.GetStringLength()};
    }
  }
  return {};
}

// The ready tasks of a claim with inline executors, in claim order: those to run inline (up to
// inline_limit) and the ids of those to lease (up to limit). The walk stops at the first task
// that fits neither, so no task overtakes one ahead of it in priority.
struct Picked {
  std::vector<Row> inline_rows;
  std::vector<std::string> leased_ids;
};

Picked pick_ready(Db& db, const Claim& claim, const ColumnMask& selected) {
  Picked picked;
  const auto limit = static_cast<std::size_t>(claim.limit);
  const auto inline_limit = static_cast<std::size_t>(claim.inline_limit);
  const std::string query = "SELECT " + column_list("", selected) + " FROM apflow_tasks WHERE " +
                            kReady +
                            " AND (priority, seq) > (:p, :s) ORDER BY priority, seq LIMIT :n";
  long long after_priority = -1, after_seq = -1;
  // Small first: when leased work waits for free slots, the walk reads only a few rows past it.
  std::size_t page = limit + 16;
  while (true) {
    const std::size_t room =
        (limit - picked.leased_ids.size()) + (inline_limit - picked.inline_rows.size());
    if (room == 0) break;
    const std::size_t asked = std::min(page, room);
    // Read row by row: a task row is ~50 cells, and only the inline ones are kept.
    RowReader reader(
        db, query, {claim.now, after_priority, after_seq, static_cast<long long>(asked)}, selected);
    std::size_t read = 0;
    bool full = false;
    while (reader.next()) {
      ++read;
      Row& row = reader.row();
      after_priority = row[kPriority].integer;
      after_seq = row[kSeq].integer;
      if (full) continue;  // step to the end: the statement must not stay on a row
      const bool runs_inline = claim.inline_executors.contains(executor_of(row));
      if (runs_inline && picked.inline_rows.size() < inline_limit) {
        row[kAttemptCount].integer += 1;  // the attempt this run will be, once finished
        picked.inline_rows.push_back(std::move(row));
      } else if (!runs_inline && picked.leased_ids.size() < limit) {
        picked.leased_ids.push_back(row[kId].text);
      } else {
        full = true;
      }
    }
    if (full || read < asked) break;
    page = std::min<std::size_t>(page * 2, 512);
  }
  return picked;
}

}  // namespace

Claim read_claim(const JsonValue& req, std::string node, const std::string& where) {
  Claim claim;
  claim.node = std::move(node);
  claim.limit = opt_int(req, "limit", 1, 0, where);
  claim.lease_ms = opt_int(req, "lease_ms", 30000, 0, where);
  claim.now = opt_int(req, "now_ms", now_ms(), 0, where);
  claim.fields = requested_columns(req, "fields");
  for (auto& id : strings(req, "inline_executors", false, where)) {
    claim.inline_executors.insert(std::move(id));
  }
  claim.inline_limit = opt_int(req, "inline_limit", 1000, 0, where);
  return claim;
}

void write_claim(Db& db, JsonOut& out, const Claim& claim) {
  // The order below needs priority and seq, whatever the caller reads; picking needs the
  // executor.
  ColumnMask selected = claim.fields;
  selected.set(kId).set(kPriority).set(kSeq);
  const std::string at = iso_utc(claim.now);
  const Params take{at, at, claim.node, claim.now + claim.lease_ms};
  std::vector<Row> leased;
  if (claim.inline_executors.empty()) {
    // One statement picks the ready tasks off idx_apflow_tasks_ready and takes them; with
    // PostgreSQL's SKIP LOCKED, concurrent claimers pass over each other's rows.
    Params params = take;
    params.insert(params.end(), {claim.now, claim.limit});
    leased = read_all(db,
                      std::string(kTake) + "id IN (SELECT id FROM apflow_tasks WHERE " + kReady +
                          " ORDER BY priority, seq LIMIT :n" + db.dialect.skip_locked() +
                          ") RETURNING " + column_list("", selected),
                      std::move(params), selected);
  } else {
    ColumnMask picking = selected;
    picking.set(kParams).set(kSchemas);
    Picked picked = pick_ready(db, claim, picking);
    if (!picked.leased_ids.empty()) {
      // Another claimer (PostgreSQL) may have taken one since: the status check skips it.
      Params params = take;
      params.insert(params.end(), {to_json_array(picked.leased_ids), claim.now});
      leased = read_all(db,
                        std::string(kTake) + "id IN (" + db.dialect.id_set(":ids") + ") AND " +
                            kReady + " RETURNING " + column_list("", selected),
                        std::move(params), selected);
    }
    write_rows(db, out, "inline", picked.inline_rows, claim.fields);
  }
  write_rows(db, out, "tasks", leased, claim.fields);
  // When the next retry waiting in the queue is due, so a claimer can come back then.
  const auto next = select_text(db,
                                "SELECT retry_at FROM apflow_tasks WHERE retry_at IS NOT NULL "
                                "AND status = 'pending' AND queued = 1 ORDER BY retry_at LIMIT 1",
                                {}, 1);
  if (!next.empty()) out.field("next_retry_at", static_cast<int64_t>(std::stoll(next[0][0])));
}

std::string claim_tasks(Db& db, std::string_view request) {
  const auto req = parse_request(request, {"node", "limit", "lease_ms", "now_ms", "fields",
                                           "inline_executors", "inline_limit"});
  const Claim claim = read_claim(req, need_string(req, "node", ""), "");
  JsonOut out;
  out.w().StartObject();
  write_claim(db, out, claim);
  out.w().EndObject();
  return out.text();
}

}  // namespace apflow::plugins::storage
