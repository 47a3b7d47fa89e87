// A task's schedule as create, create_tree and update take it: checked, and turned into the
// stored columns (docs/storage.md) with next_run_at worked out.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>

namespace apflow::engine::schedule {

// The schedule fields a task may carry.
inline constexpr const char* kFields[] = {"schedule_type",    "schedule_expression",
                                          "schedule_enabled", "schedule_start_at",
                                          "schedule_end_at",  "max_runs"};
bool is_field(const std::string& name);

// Checks the schedule fields of `task` (messages start with `at`, e.g. "Task at index 2") and
// adds the columns to store to `row`: the given fields, schedule_enabled (true when a type is
// given, unless the task says otherwise) and next_run_at (from `now_ms`, or the window's start
// when that is later). Adds nothing when the task has no schedule fields. Throws
// Error(GENERAL_INVALID_INPUT).
void add_columns(const rapidjson::Value& task, const std::string& at, int64_t now_ms,
                 rapidjson::Value& row, rapidjson::Document::AllocatorType& allocator);

}  // namespace apflow::engine::schedule
