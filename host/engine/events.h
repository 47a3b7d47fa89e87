// Task events as JSON text (docs/engine.md): what front-ends receive through the event bus.
//   {"type", "task_id", "task_tree_id", "name", "status", "progress", "message"?, "result"?,
//    "error"?, "timestamp"}
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "core/event_bus.h"

namespace apflow::engine {

struct TaskEvent {
  std::string type{};  // task_started, task_progress, task_completed, task_failed, task_cancelled,
                       // tree_completed, tree_failed, tree_cancelled
  std::string task_id{};
  std::string tree_id{};
  std::string name{};
  std::string status{};
  double progress = 0;
  std::string message{};                     // optional
  const rapidjson::Value* result = nullptr;  // optional
  std::string error{};                       // optional
};

std::string to_json(const TaskEvent& event);

// Publishes the event on the bus (a tree_* type as EventBus::Kind::kTreeEnd), writing its JSON
// only when someone will hear it.
void publish(EventBus& bus, const TaskEvent& event);

}  // namespace apflow::engine
