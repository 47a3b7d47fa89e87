// One attempt of a task as the scheduler runs it: what it reads from the claimed row (executor,
// attempt number, retry policy, timeout), and how the call ended, as the store will record it.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>

#include "durability/retry_policy.h"
#include "engine/engine_config.h"
#include "engine/store.h"
#include "registry/module_call.h"

namespace apflow::engine {

// How an attempt ended.
struct AttemptResult {
  std::string id, tree_id, name;
  std::string status;       // completed, failed or cancelled
  std::string result_json;  // when completed
  std::string error;
  bool interrupted_by_stop = false;
  // A failed attempt runs again after a backoff while attempts are left and the error allows.
  bool retryable = false;
  uint32_t attempt = 1, max_attempts = 1;
  durability::RetryPolicy policy{};
  int64_t wait_until = 0;  // held back by an open breaker: queued again, the attempt not counted
  bool leased = true;      // false: an inline task, claimed without a lease
};

struct Attempt {
  std::string task_id, tree_id, name;
  std::string executor_id;  // params.executor_id, else schemas.method; empty when neither
  uint32_t number = 1, max_attempts = 1;
  int64_t timeout_ms = 0;
  durability::RetryPolicy policy{};
  bool leased = true;

  // A result of this attempt that never reached the executor.
  AttemptResult failed_before_start(std::string error) const;
  // The call's outcome, with a timeout or an error in words a person can act on.
  AttemptResult ended(const registry::CallOutcome& outcome) const;
};

// Reads an attempt from a claimed row (docs/storage.md), with the engine's defaults.
Attempt read_attempt(const rapidjson::Value& row, const EngineConfig& config);

// Whether an outcome says nothing about the executor's health: a cancellation or refused input.
bool says_nothing_of_executor(const registry::CallOutcome& outcome);

// Where an attempt keeps its checkpoint: the task's row in the store.
registry::CheckpointStore checkpoints_for(const Store& store, const std::string& task_id);

}  // namespace apflow::engine
