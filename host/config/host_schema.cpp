#include "config/host_schema.h"

namespace apflow::config {
namespace {

// `paths` and `disabled` are excluded from the plugin-id pattern: in JSON Schema a name matching
// both `properties` and `patternProperties` must satisfy both, and a list is never an object.
constexpr std::string_view kSchema = R"({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "log": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "level": {"type": "string", "enum": ["trace", "debug", "info", "warn", "error", "off"]}
      }
    },
    "plugins": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "paths": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "disabled": {"type": "array", "items": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}}
      },
      "patternProperties": {
        "^(?!(paths|disabled)$)[a-z][a-z0-9_]*$": {"type": ["object", "null"]}
      }
    },
    "modules": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "default_timeout_ms": {"type": "integer", "minimum": 1}
      }
    },
    "engine": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "max_parallel": {"type": "integer", "minimum": 1, "maximum": 4096},
        "lease_ms": {"type": "integer", "minimum": 100},
        "default_task_timeout_ms": {"type": "integer", "minimum": 1},
        "batch_size": {"type": "integer", "minimum": 1, "maximum": 100000},
        "node_id": {"type": "string"},
        "schedule_poll_ms": {"type": "integer", "minimum": 0},
        "max_lease_expiries": {"type": "integer", "minimum": 0, "maximum": 1000}
      }
    },
    "durability": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "max_attempts": {"type": "integer", "minimum": 1, "maximum": 100},
        "backoff_strategy": {"type": "string", "enum": ["fixed", "linear", "exponential"]},
        "backoff_base_ms": {"type": "integer", "minimum": 1},
        "backoff_max_ms": {"type": "integer", "minimum": 1},
        "jitter": {"type": "boolean"},
        "breaker_failure_threshold": {"type": "integer", "minimum": 1, "maximum": 1000},
        "breaker_reset_timeout_ms": {"type": "integer", "minimum": 1},
        "breaker_half_open_attempts": {"type": "integer", "minimum": 1, "maximum": 10},
        "breaker_open": {"type": "string", "enum": ["wait", "fail"]}
      }
    },
    "storage": {
      "type": "object",
      "properties": {
        "backend": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        "path": {"type": "string", "minLength": 1}
      }
    }
  }
})";

constexpr std::string_view kDefaults = R"({
  "log": {"level": "info"},
  "plugins": {"paths": [], "disabled": []},
  "modules": {"default_timeout_ms": 30000},
  "engine": {"max_parallel": 8, "lease_ms": 30000, "default_task_timeout_ms": 3600000,
             "batch_size": 1000, "node_id": "", "schedule_poll_ms": 1000,
             "max_lease_expiries": 3},
  "durability": {"max_attempts": 3, "backoff_strategy": "exponential", "backoff_base_ms": 1000,
                 "backoff_max_ms": 300000, "jitter": true, "breaker_failure_threshold": 5,
                 "breaker_reset_timeout_ms": 60000, "breaker_half_open_attempts": 1,
                 "breaker_open": "wait"},
  "storage": {"backend": "sqlite"}
})";

}  // namespace

const schema::Schema& host_config_schema() {
  static const schema::Schema compiled = schema::Schema::compile(kSchema);
  return compiled;
}

std::string_view host_config_defaults_json() {
  return kDefaults;
}

}  // namespace apflow::config
