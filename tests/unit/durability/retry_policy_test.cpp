// Backoff delays: reference §4.2's formulas, in milliseconds, with the attempt counted from 1.
#include "durability/retry_policy.h"

#include <gtest/gtest.h>

namespace apflow::durability {
namespace {

int64_t delay(Backoff backoff, uint32_t attempt, int64_t base = 1000, int64_t max = 300000) {
  std::mt19937_64 random(7);
  return RetryPolicy{backoff, base, max, false}.delay_ms(attempt, random);
}

TEST(RetryPolicy, FixedLinearAndExponentialDelays) {
  EXPECT_EQ(delay(Backoff::kFixed, 1), 1000);
  EXPECT_EQ(delay(Backoff::kFixed, 5), 1000);
  EXPECT_EQ(delay(Backoff::kLinear, 1), 1000);
  EXPECT_EQ(delay(Backoff::kLinear, 3), 3000);
  EXPECT_EQ(delay(Backoff::kExponential, 1), 1000);
  EXPECT_EQ(delay(Backoff::kExponential, 2), 2000);
  EXPECT_EQ(delay(Backoff::kExponential, 4), 8000);
}

TEST(RetryPolicy, TheMaximumCapsEveryDelayEvenForHugeAttemptNumbers) {
  EXPECT_EQ(delay(Backoff::kExponential, 20, 1000, 5000), 5000);
  EXPECT_EQ(delay(Backoff::kExponential, 4000000000U, 1000, 5000), 5000);
  EXPECT_EQ(delay(Backoff::kLinear, 100, 1000, 5000), 5000);
}

TEST(RetryPolicy, JitterStaysWithinAQuarterEitherWay) {
  std::mt19937_64 random(42);
  const RetryPolicy policy{Backoff::kFixed, 1000, 300000, true};
  int64_t low = 1000, high = 1000;
  for (int i = 0; i < 1000; ++i) {
    const int64_t d = policy.delay_ms(1, random);
    EXPECT_GE(d, 750);
    EXPECT_LE(d, 1250);
    low = std::min(low, d);
    high = std::max(high, d);
  }
  EXPECT_LT(low, 800);  // it does spread
  EXPECT_GT(high, 1200);
}

TEST(RetryPolicy, ParsesTheStrategyNames) {
  EXPECT_EQ(parse_backoff("fixed"), Backoff::kFixed);
  EXPECT_EQ(parse_backoff("linear"), Backoff::kLinear);
  EXPECT_EQ(parse_backoff("exponential"), Backoff::kExponential);
  EXPECT_FALSE(parse_backoff("EXPONENTIAL").has_value());
}

}  // namespace
}  // namespace apflow::durability
