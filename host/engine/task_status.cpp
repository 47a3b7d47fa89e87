#include "engine/task_status.h"

#include <array>
#include <utility>

namespace apflow::engine {
namespace {

constexpr std::array<std::pair<TaskStatus, std::string_view>, 5> kNames = {{
    {TaskStatus::kPending, "pending"},
    {TaskStatus::kInProgress, "in_progress"},
    {TaskStatus::kCompleted, "completed"},
    {TaskStatus::kFailed, "failed"},
    {TaskStatus::kCancelled, "cancelled"},
}};

}  // namespace

std::string_view to_string(TaskStatus status) {
  for (const auto& [value, name] : kNames) {
    if (value == status) return name;
  }
  return "pending";
}

std::optional<TaskStatus> parse_status(std::string_view text) {
  for (const auto& [value, name] : kNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool is_terminal(TaskStatus status) {
  return status == TaskStatus::kCompleted || status == TaskStatus::kFailed ||
         status == TaskStatus::kCancelled;
}

bool can_transition(TaskStatus from, TaskStatus to) {
  if (from == to) return true;
  switch (to) {
    case TaskStatus::kInProgress:
      return from == TaskStatus::kPending;
    case TaskStatus::kCompleted:
    case TaskStatus::kFailed:
      return from == TaskStatus::kInProgress;
    case TaskStatus::kCancelled:
      return from == TaskStatus::kPending || from == TaskStatus::kInProgress;
    case TaskStatus::kPending:
      return is_terminal(from);
  }
  return false;
}

}  // namespace apflow::engine
