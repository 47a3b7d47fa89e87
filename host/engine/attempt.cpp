#include "engine/attempt.h"

#include "core/json_text.h"
#include "engine/task_rows.h"

namespace apflow::engine {
namespace {

using rapidjson::Value;

// params.executor_id, else schemas.method (reference §1.2).
std::string executor_of(const Value& row) {
  for (const auto& [object, key] : {std::pair{"params", "executor_id"}, {"schemas", "method"}}) {
    auto it = row.FindMember(object);
    if (it != row.MemberEnd() && it->value.IsObject()) {
      std::string id = rows::text(it->value, key);
      if (!id.empty()) return id;
    }
  }
  return {};
}

// The task's own backoff where it sets one, the configured one otherwise.
durability::RetryPolicy retry_policy_of(const Value& row, durability::RetryPolicy policy) {
  if (auto backoff = durability::parse_backoff(rows::text(row, "backoff_strategy"))) {
    policy.backoff = *backoff;
  }
  for (auto [key, field] : {std::pair{"backoff_base_ms", &policy.base_ms},
                            std::pair{"backoff_max_ms", &policy.max_ms}}) {
    auto it = row.FindMember(key);
    if (it != row.MemberEnd() && it->value.IsInt64()) *field = it->value.GetInt64();
  }
  return policy;
}

uint32_t count(const Value& row, const char* key) {
  auto it = row.FindMember(key);
  return it != row.MemberEnd() && it->value.IsUint() ? it->value.GetUint() : 1;
}

bool refused_input(const registry::CallOutcome& outcome) {
  return outcome.error_code == "SCHEMA_VALIDATION_ERROR" ||
         outcome.error_code == "GENERAL_INVALID_INPUT";
}

}  // namespace

Attempt read_attempt(const Value& row, const EngineConfig& config) {
  Attempt attempt;
  attempt.task_id = rows::text(row, "id");
  attempt.tree_id = rows::text(row, "task_tree_id");
  attempt.name = rows::text(row, "name");
  attempt.executor_id = executor_of(row);
  attempt.number = count(row, "attempt_count");
  attempt.max_attempts = count(row, "max_attempts");
  auto timeout = row.FindMember("timeout_ms");
  attempt.timeout_ms = timeout != row.MemberEnd() && timeout->value.IsInt64()
                           ? timeout->value.GetInt64()
                           : config.default_task_timeout_ms;
  attempt.policy = retry_policy_of(row, config.retry);
  return attempt;
}

AttemptResult Attempt::failed_before_start(std::string error) const {
  AttemptResult r{task_id, tree_id, name, "failed", "", std::move(error)};
  r.leased = leased;
  r.attempt = number;
  r.max_attempts = max_attempts;
  return r;
}

AttemptResult Attempt::ended(const registry::CallOutcome& outcome) const {
  AttemptResult r{task_id, tree_id, name, "completed", outcome.output_json, ""};
  r.leased = leased;
  r.attempt = number;
  r.max_attempts = max_attempts;
  r.policy = policy;
  // Timeouts are retried; a refused input or a cancellation never is.
  r.retryable =
      outcome.status == APFLOW_TIMEOUT || (outcome.retryable && !says_nothing_of_executor(outcome));
  if (outcome.status == APFLOW_CANCELLED) {
    r.status = "cancelled";
    r.error = outcome.error_message;
  } else if (outcome.status == APFLOW_TIMEOUT) {
    r.status = "failed";
    r.error = "Task timed out after " + std::to_string(timeout_ms) +
              " ms; raise its timeout_ms if it needs longer";
  } else if (!outcome.ok()) {
    r.status = "failed";
    r.error = outcome.error_message.empty() ? outcome.error_code : outcome.error_message;
  }
  return r;
}

bool says_nothing_of_executor(const registry::CallOutcome& outcome) {
  return outcome.status == APFLOW_CANCELLED || refused_input(outcome);
}

registry::CheckpointStore checkpoints_for(const Store& store, const std::string& task_id) {
  const Store* s = &store;
  return registry::CheckpointStore{
      [s, task_id](std::string_view json) {
        rapidjson::Document id;
        id.SetString(task_id.c_str(), id.GetAllocator());
        s->call(Store::Op::kSaveCheckpoint,
                R"({"task_id":)" + json_text(id) + R"(,"data":)" + std::string(json) + "}");
      },
      [s, task_id]() -> std::optional<std::string> {
        rapidjson::Document req(rapidjson::kObjectType);
        req.AddMember("task_id", Value(task_id.c_str(), req.GetAllocator()), req.GetAllocator());
        auto response = s->call(Store::Op::kLoadCheckpoint, req);
        if (!response.HasMember("data")) return std::nullopt;
        return json_text(response["data"]);
      }};
}

}  // namespace apflow::engine
