#include "engine/schedule_fields.h"

#include <algorithm>
#include <optional>

#include "core/error.h"
#include "core/json_text.h"
#include "engine/clock.h"
#include "engine/schedule.h"

namespace apflow::engine::schedule {
namespace {

using rapidjson::Value;

[[noreturn]] void invalid(const std::string& message) {
  throw Error(codes::kGeneralInvalidInput, message);
}

const Value* given(const Value& task, const char* key) {
  auto it = task.FindMember(key);
  return it == task.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
}

std::string text(const Value& task, const char* key, const std::string& at) {
  const Value* v = given(task, key);
  if (v == nullptr) return {};
  if (!v->IsString()) invalid(at + " field '" + key + "' must be a string");
  return v->GetString();
}

std::optional<int64_t> time_field(const Value& task, const char* key, const std::string& at) {
  const std::string value = text(task, key, at);
  if (value.empty()) return std::nullopt;
  auto ms = parse_iso(value);
  if (!ms) {
    invalid(at + " has " + key + " '" + value +
            "'; use an ISO-8601 UTC time such as 2026-12-01T09:00:00Z");
  }
  return ms;
}

}  // namespace

bool is_field(const std::string& name) {
  return std::any_of(std::begin(kFields), std::end(kFields),
                     [&](const char* field) { return name == field; });
}

void add_columns(const Value& task, const std::string& at, int64_t now_ms, Value& row,
                 rapidjson::Document::AllocatorType& a) {
  if (std::none_of(std::begin(kFields), std::end(kFields),
                   [&](const char* field) { return given(task, field) != nullptr; })) {
    return;
  }
  const std::string type = text(task, "schedule_type", at);
  const std::string expression = text(task, "schedule_expression", at);
  if (type.empty() || expression.empty()) {
    invalid(at +
            " has an incomplete schedule; give both schedule_type (once, interval, cron, "
            "daily, weekly or monthly) and schedule_expression");
  }
  const Value* enabled_value = given(task, "schedule_enabled");
  if (enabled_value != nullptr && !enabled_value->IsBool()) {
    invalid(at + " field 'schedule_enabled' must be a boolean");
  }
  const bool enabled = enabled_value == nullptr || enabled_value->GetBool();
  const auto start = time_field(task, "schedule_start_at", at);
  const auto end = time_field(task, "schedule_end_at", at);
  if (start && end && *end <= *start) {
    invalid(at + " has schedule_end_at before schedule_start_at; the window would be empty");
  }
  const Value* max_runs = given(task, "max_runs");
  if (max_runs != nullptr && (!max_runs->IsInt64() || max_runs->GetInt64() < 1)) {
    invalid(at + " has max_runs " + json_text(*max_runs) + "; use an integer >= 1");
  }
  // The first run is at or after the window's start (hence the millisecond before it).
  const int64_t from = start && *start > now_ms ? *start - 1 : now_ms;
  std::optional<int64_t> next;
  try {
    next = next_run(type, expression, from);
  } catch (const Error& e) {
    invalid(at + ": " + e.what());
  }
  if (!next) invalid(at + " has a 'once' schedule whose time is already past");
  if (end && *next >= *end) invalid(at + " has no run inside its schedule window");

  auto str = [&a](const std::string& s) { return Value(s.c_str(), a); };
  row.AddMember("schedule_type", str(type), a);
  row.AddMember("schedule_expression", str(expression), a);
  row.AddMember("schedule_enabled", enabled, a);
  row.AddMember("schedule_start_at", start ? str(iso_utc(*start)) : Value(), a);
  row.AddMember("schedule_end_at", end ? str(iso_utc(*end)) : Value(), a);
  row.AddMember("max_runs", max_runs ? Value(max_runs->GetInt64()) : Value(), a);
  row.AddMember("next_run_at", enabled ? str(iso_utc(*next)) : Value(), a);
}

}  // namespace apflow::engine::schedule
