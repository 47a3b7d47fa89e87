#include "engine/events.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "engine/clock.h"

namespace apflow::engine {

std::string to_json(const TaskEvent& e) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("type"), w.String(e.type);
  w.Key("task_id"), w.String(e.task_id);
  w.Key("task_tree_id"), w.String(e.tree_id);
  w.Key("name"), w.String(e.name);
  w.Key("status"), w.String(e.status);
  w.Key("progress"), w.Double(e.progress);
  if (!e.message.empty()) w.Key("message"), w.String(e.message);
  if (e.result != nullptr) w.Key("result"), e.result->Accept(w);
  if (!e.error.empty()) w.Key("error"), w.String(e.error);
  w.Key("timestamp"), w.String(now_iso());
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void publish(EventBus& bus, const TaskEvent& event) {
  const auto kind =
      event.type.starts_with("tree_") ? EventBus::Kind::kTreeEnd : EventBus::Kind::kTask;
  if (bus.wants(event.tree_id, kind)) bus.publish(event.tree_id, to_json(event), kind);
}

}  // namespace apflow::engine
