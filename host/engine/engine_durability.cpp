// Engine: what the durability layer shows — the circuit breakers of this process.
#include "engine/engine.h"

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

}  // namespace apflow::engine
