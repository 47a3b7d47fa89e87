#include "storage/common/columns.h"

#include <unordered_map>

#include "storage/common/errors.h"

namespace apflow::plugins::storage {
namespace {

constexpr std::string_view kStatuses[] = {"pending", "in_progress", "completed", "failed",
                                          "cancelled"};
constexpr std::string_view kOrigins[] = {"create", "link", "copy", "archive"};
constexpr std::string_view kPolicies[] = {"fail", "skip", "continue"};
constexpr std::string_view kInjections[] = {"by_id", "merge"};
constexpr std::string_view kBackoffs[] = {"fixed", "linear", "exponential"};
constexpr std::string_view kScheduleTypes[] = {"once",  "interval", "cron",
                                               "daily", "weekly",   "monthly"};

const std::array<Column, kColumnCount> kColumns{{
    {"id", Kind::kText, false, {}},
    {"parent_id", Kind::kText, true, {}},
    {"task_tree_id", Kind::kText, true, {}},
    {"user_id", Kind::kText, true, {}},
    {"name", Kind::kText, false, {}},
    {"status", Kind::kText, false, kStatuses},
    {"priority", Kind::kInt, false, {}, 0, 3},
    {"dependencies", Kind::kJsonArray, true, {}},
    {"inputs", Kind::kJson, true, {}},
    {"params", Kind::kJson, true, {}},
    {"schemas", Kind::kJson, true, {}},
    {"result", Kind::kJson, true, {}},
    {"error", Kind::kText, true, {}},
    {"progress", Kind::kReal, false, {}, 0, 1},
    {"created_at", Kind::kText, false, {}},
    {"started_at", Kind::kText, true, {}},
    {"updated_at", Kind::kText, false, {}},
    {"completed_at", Kind::kText, true, {}},
    {"has_children", Kind::kBool, false, {}},
    {"has_references", Kind::kBool, false, {}},
    {"original_task_id", Kind::kText, true, {}},
    {"origin_type", Kind::kText, true, kOrigins},
    {"max_attempts", Kind::kInt, false, {}, 1},
    {"attempt_count", Kind::kInt, false, {}, 0},
    {"token_usage", Kind::kJson, true, {}},
    {"token_budget", Kind::kInt, true, {}, 0},
    {"cost_policy", Kind::kText, true, {}},
    {"failure_policy", Kind::kText, false, kPolicies},
    {"injection", Kind::kText, false, kInjections},
    {"timeout_ms", Kind::kInt, true, {}, 0},
    {"queued", Kind::kBool, false, {}},
    {"blockers", Kind::kInt, false, {}, 0},
    {"lease_owner", Kind::kText, true, {}},
    {"lease_expires_at", Kind::kInt, true, {}},
    {"seq", Kind::kInt, false, {}},
    {"schedule_type", Kind::kText, true, kScheduleTypes},
    {"schedule_expression", Kind::kText, true, {}},
    {"schedule_enabled", Kind::kBool, false, {}},
    {"schedule_start_at", Kind::kText, true, {}},
    {"schedule_end_at", Kind::kText, true, {}},
    {"next_run_at", Kind::kText, true, {}},
    {"last_run_at", Kind::kText, true, {}},
    {"max_runs", Kind::kInt, true, {}, 1},
    {"run_count", Kind::kInt, false, {}, 0},
    {"retry_at", Kind::kInt, true, {}, 0},
    {"backoff_strategy", Kind::kText, true, kBackoffs},
    {"backoff_base_ms", Kind::kInt, true, {}, 1},
    {"backoff_max_ms", Kind::kInt, true, {}, 1},
}};

std::string describe(const Column& c) {
  std::string what;
  switch (c.kind) {
    case Kind::kText:
      what = c.choices.empty() ? "a string" : "one of";
      for (std::size_t i = 0; i < c.choices.size(); ++i) {
        what += (i == 0 ? " '" : ", '") + std::string(c.choices[i]) + "'";
      }
      break;
    case Kind::kJson:
      what = "a JSON value";
      break;
    case Kind::kJsonArray:
      what = "an array";
      break;
    case Kind::kInt:
      what = "an integer";
      if (c.min != INT64_MIN) what += " >= " + std::to_string(c.min);
      if (c.max != INT64_MAX) what += " and <= " + std::to_string(c.max);
      break;
    case Kind::kBool:
      what = "a boolean";
      break;
    case Kind::kReal:
      what = "a number from " + std::to_string(c.min) + " to " + std::to_string(c.max);
      break;
  }
  return c.nullable ? what + " or null" : what;
}

bool valid_text(const Column& c, const JsonValue& v) {
  if (!v.IsString()) return false;
  if (c.choices.empty()) return true;
  const std::string_view text(v.GetString(), v.GetStringLength());
  for (auto choice : c.choices) {
    if (choice == text) return true;
  }
  return false;
}

bool valid(const Column& c, const JsonValue& v) {
  switch (c.kind) {
    case Kind::kText:
      return valid_text(c, v);
    case Kind::kJson:
      return true;
    case Kind::kJsonArray:
      return v.IsArray();
    case Kind::kInt:
      return v.IsInt64() && v.GetInt64() >= c.min && v.GetInt64() <= c.max;
    case Kind::kBool:
      return v.IsBool();
    case Kind::kReal:
      return v.IsNumber() && v.GetDouble() >= static_cast<double>(c.min) &&
             v.GetDouble() <= static_cast<double>(c.max);
  }
  return false;
}

}  // namespace

const std::array<Column, kColumnCount>& task_columns() {
  return kColumns;
}

std::optional<std::size_t> find_column(std::string_view name) {
  static const std::unordered_map<std::string_view, std::size_t> index = [] {
    std::unordered_map<std::string_view, std::size_t> map;
    for (std::size_t i = 0; i < kColumns.size(); ++i) map.emplace(kColumns[i].name, i);
    return map;
  }();
  auto it = index.find(name);
  if (it == index.end()) return std::nullopt;
  return it->second;
}

ColumnMask requested_columns(const JsonValue& req, const char* key) {
  const JsonValue* fields = member(req, key);
  if (fields == nullptr) return all_columns();
  const std::string hint = "; valid fields: " + column_list();
  if (!fields->IsArray()) throw_invalid(std::string("field '") + key + "' must be an array" + hint);
  ColumnMask mask;
  mask.set(kId);
  for (const auto& name : fields->GetArray()) {
    const auto column =
        name.IsString() ? find_column({name.GetString(), name.GetStringLength()}) : std::nullopt;
    if (!column) {
      throw_invalid(std::string("field '") + key + "' names an unknown field " + to_text(name) +
                    hint);
    }
    mask.set(*column);
  }
  return mask;
}

std::array<int, kColumnCount> column_slots(const ColumnMask& mask) {
  std::array<int, kColumnCount> slots{};
  int slot = 0;
  for (std::size_t i = 0; i < kColumnCount; ++i) slots[i] = mask.test(i) ? slot++ : -1;
  return slots;
}

std::string column_list(std::string_view prefix, const ColumnMask& mask) {
  std::string out;
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    if (!mask.test(i)) continue;
    if (!out.empty()) out += ", ";
    out += prefix;
    out += kColumns[i].name;
  }
  return out;
}

void reset_to_defaults(Row& row, const std::string& now) {
  for (auto& cell : row) cell.set_null();
  row[kStatus].set_text(std::string(status::kPending));
  row[kPriority].set_integer(2);
  row[kProgress].set_real(0);
  row[kCreatedAt].set_text(now);
  row[kUpdatedAt].set_text(now);
  row[kHasChildren].set_integer(0);
  row[kHasReferences].set_integer(0);
  row[kMaxAttempts].set_integer(3);
  row[kAttemptCount].set_integer(0);
  row[kFailurePolicy].set_text("fail");
  row[kInjection].set_text("by_id");
  row[kQueued].set_integer(0);
  row[kBlockers].set_integer(0);
  row[kSeq].set_integer(0);
  row[kScheduleEnabled].set_integer(0);
  row[kRunCount].set_integer(0);
}

void assign(Row& row, std::size_t column, const JsonValue& value, const std::string& where) {
  const Column& c = kColumns[column];
  Cell& cell = row[column];
  if (value.IsNull() && c.nullable) {
    cell.set_null();
    return;
  }
  if (!valid(c, value)) {
    throw_invalid("field '" + field_path(where, c.name) + "' must be " + describe(c));
  }
  switch (c.kind) {
    case Kind::kText:
      cell.set_text(std::string(value.GetString(), value.GetStringLength()));
      break;
    case Kind::kJson:
    case Kind::kJsonArray:
      cell.set_text(to_text(value));
      break;
    case Kind::kInt:
      cell.set_integer(value.GetInt64());
      break;
    case Kind::kBool:
      cell.set_integer(value.GetBool() ? 1 : 0);
      break;
    case Kind::kReal:
      cell.set_real(value.GetDouble());
      break;
  }
}

}  // namespace apflow::plugins::storage
