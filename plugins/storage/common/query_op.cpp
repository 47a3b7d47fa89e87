// query_tasks: a filtered, ordered page and the number of every match.
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

struct Filter {
  std::string where;  // " WHERE ..." or ""
  Params params;

  void add(const std::string& condition) {
    where += where.empty() ? " WHERE " : " AND ";
    where += condition;
  }
  void add(const std::string& condition, Param value) {
    add(condition);
    params.push_back(std::move(value));
  }
};

void add_schedule_filters(Filter& f, const JsonValue& req) {
  if (member(req, "scheduled") != nullptr) {
    f.add(opt_bool(req, "scheduled", false, "") ? "schedule_type IS NOT NULL"
                                                : "schedule_type IS NULL");
  }
  if (member(req, "schedule_enabled") != nullptr) {
    f.add("schedule_enabled = :schedule_enabled",
          static_cast<long long>(opt_bool(req, "schedule_enabled", false, "") ? 1 : 0));
  }
  // Due: enabled, next run at or before the time, not running, runs left, window still open.
  if (member(req, "due_before") != nullptr) {
    const std::string before = need_string(req, "due_before", "");
    f.add("schedule_enabled = 1 AND next_run_at IS NOT NULL AND next_run_at <= :due_before",
          before);
    f.add("status <> 'in_progress' AND (max_runs IS NULL OR run_count < max_runs)");
    f.add("(schedule_end_at IS NULL OR schedule_end_at > :due_end)", before);
  }
}

Filter build_filter(Db& db, const JsonValue& req) {
  Filter f;
  if (auto statuses = one_or_many(req, "status", "")) {
    f.add("status IN (" + db.dialect.id_set(":status") + ")", to_json_array(*statuses));
  }
  for (const char* key : {"user_id", "task_tree_id", "schedule_type"}) {
    if (member(req, key) != nullptr) {
      f.add(std::string(key) + " = :" + key, need_string(req, key, ""));
    }
  }
  if (const JsonValue* parent = member(req, "parent_id")) {
    if (parent->IsNull()) {
      f.add("parent_id IS NULL");
    } else {
      f.add("parent_id = :parent_id", need_string(req, "parent_id", ""));
    }
  }
  if (member(req, "ids") != nullptr) {
    f.add("id IN (" + db.dialect.id_set(":ids") + ")",
          to_json_array(strings(req, "ids", true, "")));
  }
  if (member(req, "depends_on") != nullptr) {
    f.add("id IN (SELECT task_id FROM apflow_task_edges WHERE kind <> 'child' AND depends_on IN (" +
              db.dialect.id_set(":depends_on") + "))",
          to_json_array(strings(req, "depends_on", true, "")));
  }
  if (member(req, "original_task_id") != nullptr) {
    f.add("original_task_id IN (" + db.dialect.id_set(":original_task_id") + ")",
          to_json_array(strings(req, "original_task_id", true, "")));
  }
  if (member(req, "queued") != nullptr) {
    f.add("queued = :queued", static_cast<long long>(opt_bool(req, "queued", false, "") ? 1 : 0));
  }
  add_schedule_filters(f, req);
  return f;
}

std::string order_by(const JsonValue& req) {
  const auto order = opt_string(req, "order", "").value_or("created_desc");
  if (order == "created_desc") return " ORDER BY created_at DESC, seq DESC";
  if (order == "created_asc") return " ORDER BY created_at ASC, seq ASC";
  if (order == "priority") return " ORDER BY priority ASC, seq ASC";
  if (order == "none") return "";
  if (order == "next_run") return " ORDER BY next_run_at ASC, seq ASC";
  throw_invalid("field 'order' must be 'created_desc', 'created_asc', 'priority' or 'none'");
}

}  // namespace

std::string query_tasks(Db& db, std::string_view request) {
  const auto req = parse_request(
      request, {"status", "user_id", "task_tree_id", "parent_id", "ids", "queued", "depends_on",
                "original_task_id", "limit", "offset", "order", "fields", "count", "scheduled",
                "schedule_enabled", "schedule_type", "due_before"});
  Filter filter = build_filter(db, req);
  const std::string order = order_by(req);
  const long long limit = opt_int(req, "limit", 50, 0, "");
  const long long offset = opt_int(req, "offset", 0, 0, "");
  const ColumnMask fields = requested_columns(req, "fields");
  // A caller that only pages (or asks whether anything matches) spares the full count.
  const bool count = opt_bool(req, "count", true, "");
  const long long total =
      count ? select_integer(db, "SELECT COUNT(*) FROM apflow_tasks" + filter.where, filter.params)
            : -1;

  Params params = filter.params;
  params.emplace_back(limit);
  params.emplace_back(offset);
  RowReader page(db,
                 "SELECT " + column_list("", fields) + " FROM apflow_tasks" + filter.where + order +
                     " LIMIT :limit OFFSET :offset",
                 std::move(params), fields);
  JsonOut out;
  out.w().StartObject();
  out.key("tasks");
  out.w().StartArray();
  // Straight from the statement into the text: a tree of 10,000 rows is not copied first.
  while (page.step()) write_row(out, page.statement(), fields);
  out.w().EndArray();
  if (count) out.field("total", static_cast<int64_t>(total));
  out.w().EndObject();
  return out.text();
}

}  // namespace apflow::plugins::storage
