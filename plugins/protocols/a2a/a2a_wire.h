// The A2A objects on the wire: tasks, status and artifact updates, in the A2A 1.0 form
// (ProtoJSON, TASK_STATE_* names, no `kind`) or the 0.3 form (`kind`, lower-case states), chosen
// by the method name a client used. Pure functions over a task snapshot.
#pragma once

#include <string>
#include <string_view>

namespace apflow::plugins::a2a {

enum class Dialect { kV1, kV03 };

enum class TaskState { kSubmitted, kWorking, kCompleted, kFailed, kCanceled };

bool is_terminal(TaskState state);
std::string_view state_name(TaskState state, Dialect dialect);

// What a task looks like at one moment; everything the renderers need.
struct TaskSnapshot {
  std::string id;
  std::string context_id;
  TaskState state = TaskState::kSubmitted;
  std::string timestamp;    // ISO-8601 UTC of the last status change
  std::string status_text;  // the agent's status message ("" for none)
  std::string status_data;  // JSON text of a data part next to it (the error), or ""
  std::string skill_id;     // the module the task calls
  std::string message_id;   // the client's message
  std::string input_json;   // the module input (the client message's data)
  bool has_output = false;
  std::string output_json;  // the module output, once completed
};

// The current time as 2026-01-01T10:00:00.000Z.
std::string now_iso8601();

std::string render_task(const TaskSnapshot& task, Dialect dialect);
// The SendMessage result: {"task":Task} in 1.0, the Task with "kind":"task" in 0.3.
std::string render_send_result(const TaskSnapshot& task, Dialect dialect);
// Stream events (the `result` of one SSE message).
std::string render_status_update(const TaskSnapshot& task, Dialect dialect);
std::string render_artifact_update(const TaskSnapshot& task, Dialect dialect);
// The parts a module output becomes: an object is a data part, a string a text part, anything
// else compact JSON text; null has none. Returns the JSON array text.
std::string output_parts(std::string_view output_json, Dialect dialect);

}  // namespace apflow::plugins::a2a
