#include "durability/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace apflow::durability {

std::optional<Backoff> parse_backoff(const std::string& text) {
  if (text == "fixed") return Backoff::kFixed;
  if (text == "linear") return Backoff::kLinear;
  if (text == "exponential") return Backoff::kExponential;
  return std::nullopt;
}

int64_t RetryPolicy::delay_ms(uint32_t attempt, std::mt19937_64& random) const {
  const double base = static_cast<double>(base_ms);
  const uint32_t n = std::max<uint32_t>(attempt, 1);
  double delay = base;
  if (backoff == Backoff::kLinear) delay = base * n;
  // 2^62 already exceeds any cap; larger exponents would overflow to infinity harmlessly anyway.
  if (backoff == Backoff::kExponential)
    delay = base * std::ldexp(1.0, static_cast<int>(std::min<uint32_t>(n - 1, 62)));
  delay = std::min(delay, static_cast<double>(max_ms));
  if (jitter) delay += std::uniform_real_distribution<double>(-0.25 * delay, 0.25 * delay)(random);
  return std::max<int64_t>(0, std::llround(delay));
}

}  // namespace apflow::durability
