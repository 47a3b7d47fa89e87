// Engine: scheduled tasks — listing them, and running those that are due (reference §10, with
// the [REC] fix: listing asks the store for scheduled tasks instead of filtering a page).
#include <spdlog/spdlog.h>

#include "core/error.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/module_input.h"
#include "engine/schedule.h"
#include "engine/task_rows.h"

namespace apflow::engine {
namespace {

constexpr std::initializer_list<const char*> kScheduleView = {"id",
                                                              "name",
                                                              "status",
                                                              "schedule_type",
                                                              "schedule_expression",
                                                              "schedule_enabled",
                                                              "schedule_start_at",
                                                              "schedule_end_at",
                                                              "next_run_at",
                                                              "last_run_at",
                                                              "run_count",
                                                              "max_runs",
                                                              "task_tree_id"};

// The schedule columns after a run starts now: the next run, or the schedule switched off when
// no run is left (a `once`, max_runs reached, or the window closing).
Value after_trigger(const Value& row, int64_t now, rapidjson::Document::AllocatorType& a) {
  Value set(rapidjson::kObjectType);
  const int64_t runs = (row["run_count"].IsInt64() ? row["run_count"].GetInt64() : 0) + 1;
  set.AddMember("run_count", runs, a);
  set.AddMember("last_run_at", Value(iso_utc(now).c_str(), a), a);
  std::optional<int64_t> next;
  const std::string type = rows::text(row, "schedule_type");
  const bool runs_left = !row["max_runs"].IsInt64() || runs < row["max_runs"].GetInt64();
  if (type != "once" && runs_left) {
    next = schedule::next_run(type, rows::text(row, "schedule_expression"), now);
  }
  const auto end = schedule::parse_iso(rows::text(row, "schedule_end_at"));
  if (next && end && *next >= *end) next.reset();
  set.AddMember("next_run_at", next ? Value(iso_utc(*next).c_str(), a) : Value(), a);
  if (!next) set.AddMember("schedule_enabled", false, a);
  return set;
}

}  // namespace

Json Engine::scheduled(const Value& input) {
  const Store& s = store();
  Json request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  request.AddMember("scheduled", true, a);
  const bool enabled_only = !input.HasMember("enabled_only") || !input["enabled_only"].IsBool() ||
                            input["enabled_only"].GetBool();
  if (enabled_only) request.AddMember("schedule_enabled", true, a);
  for (const char* key : {"user_id", "schedule_type", "status"}) {
    auto it = input.FindMember(key);
    if (it != input.MemberEnd() && it->value.IsString()) {
      request.AddMember(rapidjson::StringRef(key), Value(it->value, a), a);
    }
  }
  request.AddMember("limit", bounded(input, "limit", 20, 1, 100), a);
  request.AddMember("offset", bounded(input, "offset", 0, 0, INT64_MAX), a);
  request.AddMember("order", "next_run", a);
  auto response = s.call(Store::Op::kQueryTasks, request);
  Json out(rapidjson::kObjectType);
  auto& oa = out.GetAllocator();
  Value tasks(rapidjson::kArrayType);
  for (const Value& row : response["tasks"].GetArray())
    tasks.PushBack(pick(row, kScheduleView, oa), oa);
  out.AddMember("count", static_cast<uint64_t>(tasks.Size()), oa);
  out.AddMember("total", response["total"].GetInt64(), oa);
  out.AddMember("tasks", tasks, oa);
  return out;
}

Json Engine::run_due(const Value& input) {
  const Store& s = store();
  const int64_t now = now_ms();
  Json request(rapidjson::kObjectType);
  auto& a = request.GetAllocator();
  request.AddMember("due_before", Value(iso_utc(now).c_str(), a), a);
  request.AddMember("limit", bounded(input, "limit", 100, 1, 1000), a);
  request.AddMember("order", "next_run", a);
  request.AddMember("count", false, a);
  auto due = s.call(Store::Op::kQueryTasks, request);
  Json out(rapidjson::kObjectType);
  auto& oa = out.GetAllocator();
  Value started(rapidjson::kArrayType), skipped(rapidjson::kArrayType);
  for (const Value& row : due["tasks"].GetArray()) {
    const std::string id = rows::text(row, "id");
    Value item(rapidjson::kObjectType);
    item.AddMember("task_id", Value(id.c_str(), oa), oa);
    try {
      // Claim the slot first (compare-and-set on the status read): a slot runs at most once,
      // even when the process dies right after.
      Json update(rapidjson::kObjectType);
      auto& ua = update.GetAllocator();
      update.AddMember("id", Value(id.c_str(), ua), ua);
      update.AddMember("set", after_trigger(row, now, ua), ua);
      update.AddMember("expect_status", Value(row["status"], ua), ua);
      s.call(Store::Op::kUpdateTask, update);
      Json execute_input(rapidjson::kObjectType);
      auto& ea = execute_input.GetAllocator();
      execute_input.AddMember("task_id", Value(id.c_str(), ea), ea);
      execute_input.AddMember("rerun", "all", ea);
      execute(execute_input);
      started.PushBack(item, oa);
    } catch (const Error& e) {
      spdlog::warn("scheduled task {} did not start: {}", id, e.what());
      item.AddMember("error", Value(e.what(), oa), oa);
      skipped.PushBack(item, oa);
    }
  }
  out.AddMember("started", started, oa);
  out.AddMember("skipped", skipped, oa);
  return out;
}

}  // namespace apflow::engine
