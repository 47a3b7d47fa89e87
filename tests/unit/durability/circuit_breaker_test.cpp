// The breaker state machine of reference §4.3 on a hand-driven clock.
#include "durability/circuit_breaker.h"

#include <gtest/gtest.h>

namespace apflow::durability {
namespace {

class BreakerTest : public ::testing::Test {
 protected:
  int64_t now_ = 1000;
  Breakers breakers_{BreakerConfig{3, 500, 1}, [this] { return now_; }};

  BreakerState state(const std::string& id = "rest_executor") {
    for (const auto& view : breakers_.snapshot()) {
      if (view.executor_id == id) return view.state;
    }
    return BreakerState::kClosed;
  }
};

TEST_F(BreakerTest, OpensAfterTheThresholdOfFailuresInARow) {
  breakers_.record_failure("rest_executor");
  breakers_.record_failure("rest_executor");
  EXPECT_TRUE(breakers_.allow("rest_executor"));
  breakers_.record_failure("rest_executor");
  EXPECT_EQ(state(), BreakerState::kOpen);
  int64_t retry_at = 0;
  EXPECT_FALSE(breakers_.allow("rest_executor", &retry_at));
  EXPECT_EQ(retry_at, 1500);
  EXPECT_TRUE(breakers_.allow("send_email_executor"));  // one breaker per executor
}

TEST_F(BreakerTest, ASuccessResetsTheCount) {
  breakers_.record_failure("rest_executor");
  breakers_.record_failure("rest_executor");
  breakers_.record_success("rest_executor");
  breakers_.record_failure("rest_executor");
  breakers_.record_failure("rest_executor");
  EXPECT_EQ(state(), BreakerState::kClosed);
}

TEST_F(BreakerTest, HalfOpenLetsOneProbeThroughAndItsOutcomeDecides) {
  for (int i = 0; i < 3; ++i) breakers_.record_failure("rest_executor");
  now_ += 499;
  EXPECT_FALSE(breakers_.allow("rest_executor"));
  now_ += 1;
  EXPECT_EQ(state(), BreakerState::kHalfOpen);
  EXPECT_TRUE(breakers_.allow("rest_executor"));   // the probe
  EXPECT_FALSE(breakers_.allow("rest_executor"));  // nothing else until it reports
  breakers_.record_failure("rest_executor");       // the probe failed: open again
  EXPECT_EQ(state(), BreakerState::kOpen);
  now_ += 500;
  EXPECT_TRUE(breakers_.allow("rest_executor"));
  breakers_.record_success("rest_executor");  // the probe worked: closed
  EXPECT_EQ(state(), BreakerState::kClosed);
  EXPECT_TRUE(breakers_.allow("rest_executor"));
}

TEST_F(BreakerTest, TheSnapshotSaysWhenAProbeMayGo) {
  for (int i = 0; i < 3; ++i) breakers_.record_failure("rest_executor");
  now_ += 200;
  const auto views = breakers_.snapshot();
  ASSERT_EQ(views.size(), 1u);
  EXPECT_STREQ(to_string(views[0].state), "open");
  EXPECT_EQ(views[0].failures, 3u);
  EXPECT_EQ(views[0].probe_in_ms, 300);
}

}  // namespace
}  // namespace apflow::durability
