// Circuit breakers, one per executor id (reference §4.3, keyed by executor, not task name):
// after `failure_threshold` failures in a row the breaker opens and that executor's tasks wait;
// after `reset_timeout_ms` it lets `half_open_max_attempts` probes through; a success closes
// it, a failure opens it again. In memory, per process; the clock is injected for tests.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace apflow::durability {

struct BreakerConfig {
  uint32_t failure_threshold = 5;
  int64_t reset_timeout_ms = 60000;
  uint32_t half_open_max_attempts = 1;
};

enum class BreakerState { kClosed, kOpen, kHalfOpen };
const char* to_string(BreakerState state);

struct BreakerView {
  std::string executor_id;
  BreakerState state = BreakerState::kClosed;
  uint32_t failures = 0;    // in a row
  int64_t probe_in_ms = 0;  // while open: how long until it lets a probe through
};

class Breakers {
 public:
  using Clock = std::function<int64_t()>;  // monotonic milliseconds
  explicit Breakers(BreakerConfig config, Clock clock = {});

  // Whether a call of this executor may start now (a half-open probe counts as started). When
  // not, `retry_at_ms` says when the breaker will let a probe through (in the clock's time).
  bool allow(const std::string& executor_id, int64_t* retry_at_ms = nullptr);
  void record_success(const std::string& executor_id);
  void record_failure(const std::string& executor_id);

  std::vector<BreakerView> snapshot();
  const BreakerConfig& config() const noexcept { return config_; }
  int64_t now() const { return clock_(); }

 private:
  struct Breaker {
    BreakerState state = BreakerState::kClosed;
    uint32_t failures = 0;
    int64_t opened_at = 0;
    uint32_t probes = 0;
  };
  void advance(Breaker& b);  // open → half-open once the reset timeout has passed

  BreakerConfig config_;
  Clock clock_;
  std::mutex mutex_;
  std::map<std::string, Breaker> breakers_;
};

}  // namespace apflow::durability
