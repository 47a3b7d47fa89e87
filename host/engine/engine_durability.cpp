// Engine: what the durability layer shows — the circuit breakers of this process and the
// checkpoint a task's next attempt will resume from.
#include "engine/engine.h"
#include "engine/module_input.h"
#include "engine/task_rows.h"

namespace apflow::engine {

Json Engine::breakers(const Value&) {
  Json out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  Value list(rapidjson::kArrayType);
  for (const auto& view : breakers_->snapshot()) {
    Value item(rapidjson::kObjectType);
    item.AddMember("executor_id", Value(view.executor_id.c_str(), a), a);
    item.AddMember("state", rapidjson::StringRef(durability::to_string(view.state)), a);
    item.AddMember("failures", view.failures, a);
    item.AddMember("probe_in_ms", view.probe_in_ms, a);
    list.PushBack(item, a);
  }
  const auto& config = breakers_->config();
  Value settings(rapidjson::kObjectType);
  settings.AddMember("failure_threshold", config.failure_threshold, a);
  settings.AddMember("reset_timeout_ms", config.reset_timeout_ms, a);
  settings.AddMember("half_open_max_attempts", config.half_open_max_attempts, a);
  settings.AddMember("when_open", config_.fail_when_breaker_open ? "fail" : "wait", a);
  out.AddMember("breakers", list, a);
  out.AddMember("config", settings, a);
  return out;
}

Json Engine::checkpoint(const Value& input) {
  const Store& s = store();
  const std::string id = required_id(input);
  const Json row = rows::require(s, id);  // an unknown task is an error, not "no checkpoint"
  Json request(rapidjson::kObjectType);
  request.AddMember("task_id", Value(id.c_str(), request.GetAllocator()), request.GetAllocator());
  auto response = s.call(Store::Op::kLoadCheckpoint, request);
  Json out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  out.AddMember("task_id", Value(id.c_str(), a), a);
  out.AddMember("status", Value(row["status"], a), a);
  out.AddMember("attempt_count", Value(row["attempt_count"], a), a);
  const bool has = response.HasMember("data");
  out.AddMember("has_checkpoint", has, a);
  out.AddMember("data", has ? Value(response["data"], a) : Value(), a);
  return out;
}

}  // namespace apflow::engine
