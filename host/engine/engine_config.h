// The engine's settings (the `engine` section of apflow.yaml).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "durability/circuit_breaker.h"
#include "durability/retry_policy.h"

namespace apflow::engine {

struct EngineConfig {
  size_t max_parallel = 8;                    // executor calls running at once
  int64_t lease_ms = 30000;                   // a claimed task's lease; renewed while it runs
  int64_t default_task_timeout_ms = 3600000;  // deadline of a task without timeout_ms
  size_t batch_size = 1000;                   // most state changes committed in one transaction
  std::string node_id;                        // who holds leases; generated when empty
  int64_t schedule_poll_ms = 1000;            // how often a started engine runs due schedules
  durability::RetryPolicy retry;              // a task's backoff unless it sets its own
  int default_max_attempts = 3;               // a task's max_attempts unless it sets its own
  durability::BreakerConfig breaker;          // per executor id
  bool fail_when_breaker_open = false;        // false: the executor's tasks wait for a probe
  // Lease expiries a task survives in one run; the next one fails it (a task that keeps
  // killing its process must not crash-loop the service).
  int64_t max_lease_expiries = 3;
};

}  // namespace apflow::engine
