// Circuit breakers through the engine: an executor that keeps failing is held back, a probe
// after the reset timeout closes the breaker again, and held attempts are not counted.
#include "engine_fixture.h"

namespace apflow::testing {
namespace {

class BreakerTest : public EngineTest {
 protected:
  BreakerTest()
      : EngineTest(1, [](engine::EngineConfig& settings) {
          settings.breaker = durability::BreakerConfig{2, 300, 1};
        }) {}
};

TEST_F(BreakerTest, AFailingExecutorIsHeldBackUntilAProbeSucceeds) {
  // One at a time, in order: two failures open the breaker; b3 waits for the probe and
  // succeeds, which closes it for b4 and the parent.
  create(R"({"failure_policy":"continue","tasks":[)" + task("root") + "," +
         task("b1", R"("parent_id":"root","max_attempts":1)", R"({"fail":"down"})") + "," +
         task("b2", R"("parent_id":"root","max_attempts":1)", R"({"fail":"down"})") + "," +
         task("b3", R"("parent_id":"root")") + "," + task("b4", R"("parent_id":"root")") + "]}");
  auto out = run("root");
  EXPECT_STREQ(out["status"].GetString(), "completed") << dump(out);
  EXPECT_EQ(status("b1"), "failed");
  EXPECT_EQ(status("b2"), "failed");
  EXPECT_EQ(status("b3"), "completed");
  EXPECT_EQ(status("b4"), "completed");
  // b3 was held (maybe more than once) but ran exactly one counted attempt.
  EXPECT_EQ(get("b3")["attempt_count"].GetInt(), 1);
  const auto held = events_of("task_retrying");
  ASSERT_FALSE(held.empty());
  EXPECT_EQ(held.front().first, "b3");
  EXPECT_NE(held.front().second.find("Circuit breaker for executor 'record_executor' is open "
                                     "after 2 failures in a row"),
            std::string::npos)
      << held.front().second;
  auto breakers = engine_->breakers(parse("{}"));
  ASSERT_EQ(breakers["breakers"].Size(), 1u) << dump(breakers);
  EXPECT_STREQ(breakers["breakers"][0]["state"].GetString(), "closed");
  EXPECT_EQ(breakers["config"]["failure_threshold"].GetInt(), 2);
}

class FailFastBreakerTest : public EngineTest {
 protected:
  FailFastBreakerTest()
      : EngineTest(1, [](engine::EngineConfig& settings) {
          settings.breaker = durability::BreakerConfig{1, 60000, 1};
          settings.fail_when_breaker_open = true;
        }) {}
};

TEST_F(FailFastBreakerTest, WithBreakerOpenFailTheHeldTasksFailNamingTheBreaker) {
  create(R"({"failure_policy":"continue","tasks":[)" + task("root") + "," +
         task("bad", R"("parent_id":"root","max_attempts":1)", R"({"fail":"down"})") + "," +
         task("next", R"("parent_id":"root")") + "]}");
  run("root");
  EXPECT_EQ(status("next"), "failed");
  EXPECT_NE(error("next").find("Circuit breaker for executor 'record_executor' is open"),
            std::string::npos)
      << error("next");
  auto breakers = engine_->breakers(parse("{}"));
  EXPECT_STREQ(breakers["breakers"][0]["state"].GetString(), "open");
  EXPECT_GT(breakers["breakers"][0]["probe_in_ms"].GetInt64(), 0);
}

}  // namespace
}  // namespace apflow::testing
