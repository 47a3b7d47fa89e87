#include "a2a/a2a_wire.h"

#include <apflow/sdk/json.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace apflow::plugins::a2a {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(Writer& w, std::string_view key, std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// Embeds JSON text that came from the engine; anything unreadable becomes null rather than
// broken output.
void raw(Writer& w, std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    w.Null();
    return;
  }
  doc.Accept(w);
}

void text_part(Writer& w, std::string_view text, Dialect dialect) {
  w.StartObject();
  if (dialect == Dialect::kV03) put(w, "kind", "text");
  put(w, "text", text);
  w.EndObject();
}

void data_part(Writer& w, std::string_view json, Dialect dialect) {
  w.StartObject();
  if (dialect == Dialect::kV03) put(w, "kind", "data");
  w.Key("data");
  raw(w, json);
  if (dialect == Dialect::kV1) put(w, "mediaType", "application/json");
  w.EndObject();
}

void write_parts(Writer& w, std::string_view output_json, Dialect dialect) {
  w.StartArray();
  rapidjson::Document doc;
  doc.Parse(output_json.data(), output_json.size());
  if (doc.HasParseError()) {
    text_part(w, output_json, dialect);
  } else if (doc.IsObject()) {
    data_part(w, output_json, dialect);
  } else if (doc.IsString()) {
    text_part(w, std::string_view(doc.GetString(), doc.GetStringLength()), dialect);
  } else if (!doc.IsNull()) {
    text_part(w, sdk::to_json(doc), dialect);
  }
  w.EndArray();
}

void message(Writer& w, const TaskSnapshot& task, Dialect dialect, bool from_user) {
  w.StartObject();
  if (dialect == Dialect::kV03) put(w, "kind", "message");
  put(w, "messageId", from_user ? task.message_id : "status-" + task.id + "-" + task.timestamp);
  put(w, "taskId", task.id);
  put(w, "contextId", task.context_id);
  const bool v1 = dialect == Dialect::kV1;
  put(w, "role", from_user ? (v1 ? "ROLE_USER" : "user") : (v1 ? "ROLE_AGENT" : "agent"));
  w.Key("parts");
  w.StartArray();
  if (from_user) {
    data_part(w, task.input_json, dialect);
  } else {
    text_part(w, task.status_text, dialect);
    if (!task.status_data.empty()) data_part(w, task.status_data, dialect);
  }
  w.EndArray();
  if (from_user) {
    w.Key("metadata");
    w.StartObject();
    put(w, "skillId", task.skill_id);
    w.EndObject();
  }
  w.EndObject();
}

void status(Writer& w, const TaskSnapshot& task, Dialect dialect) {
  w.StartObject();
  put(w, "state", state_name(task.state, dialect));
  put(w, "timestamp", task.timestamp);
  if (!task.status_text.empty()) {
    w.Key("message");
    message(w, task, dialect, false);
  }
  w.EndObject();
}

void artifact(Writer& w, const TaskSnapshot& task, Dialect dialect) {
  w.StartObject();
  put(w, "artifactId", "art-" + task.id);
  put(w, "name", "output");
  w.Key("parts");
  write_parts(w, task.output_json, dialect);
  w.EndObject();
}

void task_object(Writer& w, const TaskSnapshot& task, Dialect dialect) {
  w.StartObject();
  if (dialect == Dialect::kV03) put(w, "kind", "task");
  put(w, "id", task.id);
  put(w, "contextId", task.context_id);
  w.Key("status");
  status(w, task, dialect);
  w.Key("artifacts");
  w.StartArray();
  if (task.has_output) artifact(w, task, dialect);
  w.EndArray();
  w.Key("history");
  w.StartArray();
  message(w, task, dialect, true);
  w.EndArray();
  w.Key("metadata");
  w.StartObject();
  put(w, "skillId", task.skill_id);
  w.EndObject();
  w.EndObject();
}

std::string finish(rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

bool is_terminal(TaskState state) {
  return state == TaskState::kCompleted || state == TaskState::kFailed ||
         state == TaskState::kCanceled;
}

std::string_view state_name(TaskState state, Dialect dialect) {
  const bool v1 = dialect == Dialect::kV1;
  switch (state) {
    case TaskState::kSubmitted:
      return v1 ? "TASK_STATE_SUBMITTED" : "submitted";
    case TaskState::kWorking:
      return v1 ? "TASK_STATE_WORKING" : "working";
    case TaskState::kCompleted:
      return v1 ? "TASK_STATE_COMPLETED" : "completed";
    case TaskState::kFailed:
      return v1 ? "TASK_STATE_FAILED" : "failed";
    case TaskState::kCanceled:
      return v1 ? "TASK_STATE_CANCELED" : "canceled";
  }
  return v1 ? "TASK_STATE_UNSPECIFIED" : "unknown";
}

std::string now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(ms % 1000));
  return out;
}

std::string render_task(const TaskSnapshot& task, Dialect dialect) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  task_object(w, task, dialect);
  return finish(buffer);
}

std::string render_send_result(const TaskSnapshot& task, Dialect dialect) {
  if (dialect == Dialect::kV03) return render_task(task, dialect);
  return R"({"task":)" + render_task(task, dialect) + "}";
}

std::string render_status_update(const TaskSnapshot& task, Dialect dialect) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  if (dialect == Dialect::kV1) {
    w.Key("statusUpdate");
    w.StartObject();
  } else {
    put(w, "kind", "status-update");
  }
  put(w, "taskId", task.id);
  put(w, "contextId", task.context_id);
  w.Key("status");
  status(w, task, dialect);
  if (dialect == Dialect::kV03) {
    w.Key("final");
    w.Bool(is_terminal(task.state));
  } else {
    w.EndObject();
  }
  w.EndObject();
  return finish(buffer);
}

std::string render_artifact_update(const TaskSnapshot& task, Dialect dialect) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  if (dialect == Dialect::kV1) {
    w.Key("artifactUpdate");
    w.StartObject();
  } else {
    put(w, "kind", "artifact-update");
  }
  put(w, "taskId", task.id);
  put(w, "contextId", task.context_id);
  w.Key("artifact");
  artifact(w, task, dialect);
  w.Key("append");
  w.Bool(false);
  w.Key("lastChunk");
  w.Bool(true);
  if (dialect == Dialect::kV1) w.EndObject();
  w.EndObject();
  return finish(buffer);
}

std::string output_parts(std::string_view output_json, Dialect dialect) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  write_parts(w, output_json, dialect);
  return finish(buffer);
}

}  // namespace apflow::plugins::a2a
