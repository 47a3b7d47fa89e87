// RetryPolicy: how long a task waits before its next attempt after a retryable failure
// (reference §4.2, in milliseconds). The engine persists the moment of the next attempt in the
// task's row, so no worker sleeps and a restart honours it.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>

namespace apflow::durability {

enum class Backoff { kFixed, kLinear, kExponential };

// "fixed", "linear" or "exponential"; nothing for any other text.
std::optional<Backoff> parse_backoff(const std::string& text);

struct RetryPolicy {
  Backoff backoff = Backoff::kExponential;
  int64_t base_ms = 1000;   // the first delay (fixed: every delay)
  int64_t max_ms = 300000;  // no delay is longer
  bool jitter = true;       // ±25 % so that retries of many tasks spread out

  // The delay after failed attempt `attempt` (1 for the first attempt): base (fixed),
  // base·2^(attempt-1) (exponential) or base·attempt (linear), capped at max_ms, then jittered.
  int64_t delay_ms(uint32_t attempt, std::mt19937_64& random) const;
};

}  // namespace apflow::durability
