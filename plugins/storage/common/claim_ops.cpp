// claim_tasks: ready tasks handed to a node, on the engine's hot path. Tasks whose executor the
// caller runs inline are read, not written: it runs them at once and hands them to finish_tasks
// unleased, which compares and sets their status (docs/storage.md, "Inline tasks"). A task is
// then written twice in its run (queued, finished) instead of three times.
#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "storage/common/clock.h"
#include "storage/common/columns.h"
#include "storage/common/errors.h"
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

// A claimed task as its id and its fields' members (JSON text without the braces).
struct Claimed {
  std::string id;
  std::string members;
};

// Room for a claimed row's members at once (a no-op task's are ~250 bytes): no regrowth.
constexpr std::size_t kClaimedRowBytes = 512;

// Writes each row with its dependency_results: {depends_on: {"status", "result", "name"}}.
void write_claimed(Db& db, JsonOut& out, const char* key, const std::vector<Claimed>& rows) {
  out.key(key);
  out.w().StartArray();
  if (rows.empty()) {
    out.w().EndArray();
    return;
  }
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const auto& row : rows) ids.push_back(row.id);
  const auto deps =
      select_text(db,
                  "SELECT e.task_id, e.depends_on, d.status, d.result, d.name FROM " +
                      db.dialect.id_rows(":ids", "c") +
                      " CROSS JOIN apflow_task_edges e CROSS JOIN apflow_tasks d "
                      "WHERE e.task_id = c.value AND d.id = e.depends_on AND e.kind <> 'child'",
                  {to_json_array(ids)}, 5);
  std::unordered_map<std::string_view, std::vector<const TextRow*>> deps_of;
  std::size_t bytes = 0;
  for (const auto& d : deps) {
    deps_of[d[0]].push_back(&d);
    bytes += d[1].size() + d[2].size() + (d.null(3) ? 0 : d[3].size()) + d[4].size() + 64;
  }
  for (const auto& row : rows) bytes += row.members.size() + 32;
  out.reserve(bytes);
  std::string text;
  for (const auto& row : rows) {
    text.assign("{");
    text += row.members;
    text += ",\"dependency_results\":{";
    bool first = true;
    for (const TextRow* d : deps_of[row.id]) {
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
  out.w().EndArray();
}

// Rows taken by UPDATE ... RETURNING, which keeps no order: in claim order, as Claimed.
std::vector<Claimed> in_claim_order(std::vector<Row> rows, const ColumnMask& fields) {
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::pair(a[kPriority].integer, a[kSeq].integer) <
           std::pair(b[kPriority].integer, b[kSeq].integer);
  });
  std::vector<Claimed> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    Claimed claimed{row[kId].text, {}};
    append_fields(claimed.members, row, fields, Nulls::kLeftOut);
    out.push_back(std::move(claimed));
  }
  return out;
}

// Finds a top-level string member of a JSON object without building it: reading stops at the
// member (a claim asks this of every ready row, and a parsed document cost an allocation and
// ~1.4 k instructions a row).
class TopLevelString : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TopLevelString> {
 public:
  explicit TopLevelString(std::string_view key) : key_(key) {}

  bool Key(const char* k, rapidjson::SizeType n, bool) {
    wanted_ = depth_ == 1 && std::string_view(k, n) == key_;
    return true;
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    if (!wanted_) return true;
    found_.assign(s, n);
    return false;  // found: read no further
  }
  bool StartObject() {
    wanted_ = false;
    ++depth_;
    return true;
  }
  bool StartArray() {
    wanted_ = false;
    return depth_++ > 0;  // an array at the top has no members
  }
  bool EndObject(rapidjson::SizeType) { return --depth_ > 0; }
  bool EndArray(rapidjson::SizeType) { return --depth_ > 0; }
  bool Default() {
    wanted_ = false;
    return true;
  }

  // The member's value, or empty when the text has no such string member.
  const std::string& found() const { return found_; }

 private:
  std::string_view key_;
  int depth_ = 0;
  bool wanted_ = false;
  std::string found_;
};

// params.executor_id, else schemas.method: the executor the engine will run the task with.
// `reader` is reused from row to row, with the room it took for strings.
std::string executor_of(rapidjson::Reader& reader, std::optional<std::string_view> params,
                        std::optional<std::string_view> schemas) {
  for (auto [text, key] : {std::pair{params, "executor_id"}, std::pair{schemas, "method"}}) {
    if (!text) continue;
    TopLevelString handler(key);
    rapidjson::MemoryStream stream(text->data(), text->size());
    reader.Parse(stream, handler);
    if (!handler.found().empty()) return handler.found();
  }
  return {};
}

// The ready tasks of a claim with inline executors, in claim order: those to run inline (up to
// inline_limit, written as they are read, their attempt_count already counting this attempt)
// and the ids of those to lease (up to limit). The walk stops at the first task that fits
// neither, so no task overtakes one ahead of it in priority.
struct Picked {
  std::vector<Claimed> inline_rows;
  std::vector<std::string> leased_ids;
  std::optional<std::pair<long long, long long>> last;  // (priority, seq) of the last one
};

Picked pick_ready(Db& db, const Claim& claim, const ColumnMask& selected) {
  Picked picked;
  const auto limit = static_cast<std::size_t>(claim.limit);
  const auto inline_limit = static_cast<std::size_t>(claim.inline_limit);
  std::string columns;
  for (std::size_t i = 0; i < kColumnCount; ++i) {
    if (!selected.test(i)) continue;
    if (!columns.empty()) columns += ", ";
    // The attempt this run will be, once finished.
    columns += i == kAttemptCount ? "attempt_count + 1" : std::string(task_columns()[i].name);
  }
  const std::string query = "SELECT " + columns + " FROM apflow_tasks WHERE " + kReady +
                            " AND (priority, seq) > (:p, :s) ORDER BY priority, seq LIMIT :n";
  const auto slots = column_slots(selected);
  const int id = slots[kId], priority = slots[kPriority], seq = slots[kSeq],
            params = slots[kParams], schemas = slots[kSchemas];
  long long after_priority = claim.after_priority, after_seq = claim.after_seq;
  rapidjson::Reader reader;
  // Small first: when leased work waits for free slots, the walk reads only a few rows past it.
  std::size_t page = limit + 16;
  while (true) {
    const std::size_t room =
        (limit - picked.leased_ids.size()) + (inline_limit - picked.inline_rows.size());
    if (room == 0) break;
    const std::size_t asked = std::min(page, room);
    Statement& st = db.cache.get(query);
    const Params args{claim.now, after_priority, after_seq, static_cast<long long>(asked)};
    bind_values(st, args);
    Run run(st);
    std::size_t read = 0;
    bool full = false;
    while (run.next()) {
      ++read;
      after_priority = st.integer(priority);
      after_seq = st.integer(seq);
      if (full) continue;  // step to the end: the statement must not stay on a row
      if (!claim.running_inline.empty() &&
          claim.running_inline.contains(std::string(st.text(id)))) {
        continue;
      }
      const bool runs_inline = claim.inline_executors.contains(
          executor_of(reader, st.nullable_text(params), st.nullable_text(schemas)));
      if (runs_inline && picked.inline_rows.size() < inline_limit) {
        Claimed claimed{std::string(st.text(id)), {}};
        claimed.members.reserve(kClaimedRowBytes);
        append_fields(claimed.members, st, claim.fields, selected, Nulls::kLeftOut);
        picked.inline_rows.push_back(std::move(claimed));
      } else if (!runs_inline && picked.leased_ids.size() < limit) {
        picked.leased_ids.emplace_back(st.text(id));
      } else {
        full = true;
        continue;
      }
      picked.last = {after_priority, after_seq};
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
  for (auto& id : strings(req, "running_inline", false, where)) {
    claim.running_inline.insert(std::move(id));
  }
  if (const JsonValue* after = member(req, "after")) {
    if (!after->IsArray() || after->Size() != 2 || !(*after)[0].IsInt64() ||
        !(*after)[1].IsInt64()) {
      throw_invalid("field '" + where + (where.empty() ? "" : ".") +
                    "after' must be [priority, seq], the 'last' of an earlier claim");
    }
    claim.after_priority = (*after)[0].GetInt64();
    claim.after_seq = (*after)[1].GetInt64();
  }
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
    write_claimed(db, out, "inline", picked.inline_rows);
    if (picked.last) {
      out.key("last");
      out.w().StartArray();
      out.w().Int64(picked.last->first);
      out.w().Int64(picked.last->second);
      out.w().EndArray();
    }
  }
  write_claimed(db, out, "tasks", in_claim_order(std::move(leased), claim.fields));
  // When the next retry waiting in the queue is due, so a claimer can come back then.
  const auto next = select_text(db,
                                "SELECT retry_at FROM apflow_tasks WHERE retry_at IS NOT NULL "
                                "AND status = 'pending' AND queued = 1 ORDER BY retry_at LIMIT 1",
                                {}, 1);
  if (!next.empty()) out.field("next_retry_at", static_cast<int64_t>(std::stoll(next[0][0])));
}

std::string claim_tasks(Db& db, std::string_view request) {
  const auto req =
      parse_request(request, {"node", "limit", "lease_ms", "now_ms", "fields", "inline_executors",
                              "inline_limit", "running_inline", "after"});
  const Claim claim = read_claim(req, need_string(req, "node", ""), "");
  JsonOut out;
  out.w().StartObject();
  write_claim(db, out, claim);
  out.w().EndObject();
  return out.text();
}

std::string claim_inline(Db& db, std::string_view request) {
  const auto req = parse_request(
      request, {"now_ms", "fields", "inline_executors", "inline_limit", "running_inline", "after"});
  Claim claim = read_claim(req, std::string(), "");
  if (claim.inline_executors.empty()) throw_invalid("field 'inline_executors' is required");
  claim.limit = 0;  // nothing leased: nothing written
  JsonOut out;
  out.w().StartObject();
  write_claim(db, out, claim);
  out.w().EndObject();
  return out.text();
}

}  // namespace apflow::plugins::storage
