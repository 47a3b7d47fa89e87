#include "durability/circuit_breaker.h"

#include <chrono>

namespace apflow::durability {

const char* to_string(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kOpen:
      return "open";
    case BreakerState::kHalfOpen:
      return "half_open";
  }
  return "closed";
}

Breakers::Breakers(BreakerConfig config, Clock clock) : config_(config), clock_(std::move(clock)) {
  if (!clock_) {
    clock_ = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
          .count();
    };
  }
}

void Breakers::advance(Breaker& b) {
  if (b.state == BreakerState::kOpen && clock_() - b.opened_at >= config_.reset_timeout_ms) {
    b.state = BreakerState::kHalfOpen;
    b.probes = 0;
  }
}

bool Breakers::allow(const std::string& executor_id, int64_t* retry_at_ms) {
  std::lock_guard lock(mutex_);
  auto it = breakers_.find(executor_id);
  if (it == breakers_.end()) return true;
  Breaker& b = it->second;
  advance(b);
  if (b.state == BreakerState::kClosed) return true;
  if (b.state == BreakerState::kHalfOpen && b.probes < config_.half_open_max_attempts) {
    ++b.probes;
    return true;
  }
  // Open, or half-open with its probes out: come back when a probe could go.
  if (retry_at_ms != nullptr) {
    *retry_at_ms = b.state == BreakerState::kOpen ? b.opened_at + config_.reset_timeout_ms
                                                  : clock_() + config_.reset_timeout_ms;
  }
  return false;
}

void Breakers::record_success(const std::string& executor_id) {
  std::lock_guard lock(mutex_);
  auto it = breakers_.find(executor_id);
  if (it != breakers_.end()) it->second = Breaker{};
}

void Breakers::record_failure(const std::string& executor_id) {
  std::lock_guard lock(mutex_);
  Breaker& b = breakers_[executor_id];
  advance(b);
  ++b.failures;
  if (b.state == BreakerState::kHalfOpen || b.failures >= config_.failure_threshold) {
    b.state = BreakerState::kOpen;
    b.opened_at = clock_();
  }
}

std::vector<BreakerView> Breakers::snapshot() {
  std::lock_guard lock(mutex_);
  std::vector<BreakerView> out;
  for (auto& [id, b] : breakers_) {
    advance(b);
    const int64_t probe_in =
        b.state == BreakerState::kOpen ? b.opened_at + config_.reset_timeout_ms - clock_() : 0;
    out.push_back(BreakerView{id, b.state, b.failures, probe_in});
  }
  return out;
}

}  // namespace apflow::durability
