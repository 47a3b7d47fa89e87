// The task row: one column per field of docs/storage.md, in the order the SQL names them, with
// the type and range checks a request's values must pass. Rows travel as arrays of Cells that
// statements bind and read column by column.
#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "storage/common/request.h"

namespace apflow::plugins::storage {

enum class Kind {
  kText,       // TEXT
  kJson,       // any JSON value, stored as its text
  kJsonArray,  // a JSON array, stored as its text
  kInt,        // INTEGER / BIGINT
  kBool,       // INTEGER 0/1: the type SQLite and PostgreSQL bind alike
  kReal        // DOUBLE PRECISION
};

struct Column {
  std::string_view name;
  Kind kind;
  bool nullable;
  std::span<const std::string_view> choices;  // allowed texts; empty means any
  int64_t min = INT64_MIN;                    // integer and real bounds
  int64_t max = INT64_MAX;
};

// Column positions; the SQL lists columns in exactly this order.
enum Col : std::size_t {
  kId,
  kParentId,
  kTaskTreeId,
  kUserId,
  kName,
  kStatus,
  kPriority,
  kDependencies,
  kInputs,
  kParams,
  kSchemas,
  kResult,
  kError,
  kProgress,
  kCreatedAt,
  kStartedAt,
  kUpdatedAt,
  kCompletedAt,
  kHasChildren,
  kHasReferences,
  kOriginalTaskId,
  kOriginType,
  kMaxAttempts,
  kAttemptCount,
  kTokenUsage,
  kTokenBudget,
  kCostPolicy,
  kFailurePolicy,
  kInjection,
  kTimeoutMs,
  kQueued,
  kBlockers,
  kLeaseOwner,
  kLeaseExpiresAt,
  kSeq,
  kScheduleType,
  kScheduleExpression,
  kScheduleEnabled,
  kScheduleStartAt,
  kScheduleEndAt,
  kNextRunAt,
  kLastRunAt,
  kMaxRuns,
  kRunCount,
  kRetryAt,
  kBackoffStrategy,
  kBackoffBaseMs,
  kBackoffMaxMs,
  kColumnCount
};

struct Cell {
  std::string text;
  long long integer = 0;
  double real = 0;
  bool null = true;

  bool is_null() const noexcept { return null; }
  void set_text(std::string value) {
    text = std::move(value);
    null = false;
  }
  void set_integer(long long value) {
    integer = value;
    null = false;
  }
  void set_real(double value) {
    real = value;
    null = false;
  }
  void set_null() noexcept { null = true; }
};

using Row = std::array<Cell, kColumnCount>;

const std::array<Column, kColumnCount>& task_columns();
std::optional<std::size_t> find_column(std::string_view name);

// Which columns a reader asked for (the request's "fields"); all when not given.
using ColumnMask = std::bitset<kColumnCount>;
inline ColumnMask all_columns() {
  return ColumnMask().set();
}
// The request's `key` (an array of field names) as a mask, `id` always included; every column
// when the key is absent. Unknown names are refused with the list of valid ones.
ColumnMask requested_columns(const JsonValue& req, const char* key);

// Each column's place among the result columns of column_list("", mask); -1 when not in it.
std::array<int, kColumnCount> column_slots(const ColumnMask& mask);

// "id, parent_id, ...", each name prefixed with `prefix` ("t." for a join): the columns in
// `mask`, in column order (read them back with the same mask).
std::string column_list(std::string_view prefix = "", const ColumnMask& mask = all_columns());

// A new task's defaults: pending, priority 2, created/updated now, ... (id and name stay null).
void reset_to_defaults(Row& row, const std::string& now);

// Stores a request value into a cell after checking its type and range; `where` is the path of
// the row in the request, for the error message.
void assign(Row& row, std::size_t column, const JsonValue& value, const std::string& where);

// Task statuses as stored.
namespace status {
inline constexpr std::string_view kPending = "pending";
inline constexpr std::string_view kInProgress = "in_progress";
inline constexpr std::string_view kCompleted = "completed";
inline constexpr std::string_view kFailed = "failed";
inline constexpr std::string_view kCancelled = "cancelled";
}  // namespace status

}  // namespace apflow::plugins::storage
