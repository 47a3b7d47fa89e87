// Task statuses and the transitions the engine allows (reference §1.3, validated here).
#pragma once

#include <optional>
#include <string_view>

namespace apflow::engine {

enum class TaskStatus { kPending, kInProgress, kCompleted, kFailed, kCancelled };

std::string_view to_string(TaskStatus status);
std::optional<TaskStatus> parse_status(std::string_view text);
bool is_terminal(TaskStatus status);
inline bool is_terminal(std::string_view status) {
  auto parsed = parse_status(status);
  return parsed && is_terminal(*parsed);
}

// Engine transitions: pending→in_progress→completed|failed, pending|in_progress→cancelled,
// and a reset of failed|cancelled|completed→pending for re-execution. Admin updates through
// apflow.task.update are checked with this too.
bool can_transition(TaskStatus from, TaskStatus to);

}  // namespace apflow::engine
