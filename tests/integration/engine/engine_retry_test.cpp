// Retries through the engine on a real SQLite store, with the test plugin's flaky
// record_executor (fail_until_attempt): the backoff is persisted in the task's row, attempts
// are counted, and only retryable errors run again.
#include <chrono>
#include <filesystem>
#include <iterator>
#include <thread>

#include "engine/clock.h"
#include "engine_fixture.h"

namespace apflow::testing {
namespace {

std::string flaky(const std::string& name, int fail_until, int max_attempts, int base_ms) {
  return task(name,
              R"("max_attempts":)" + std::to_string(max_attempts) +
                  R"(,"backoff_strategy":"fixed","backoff_base_ms":)" + std::to_string(base_ms),
              R"({"fail_until_attempt":)" + std::to_string(fail_until) + "}");
}

TEST_F(EngineTest, ARetryableFailureRunsAgainAfterItsBackoff) {
  create(R"({"tasks":[)" + flaky("flaky", 3, 3, 150) + "]}");
  const auto start = std::chrono::steady_clock::now();
  auto out = run("flaky");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_STREQ(out["status"].GetString(), "completed") << dump(out);
  EXPECT_EQ(out["result"]["attempt"].GetInt(), 3);
  EXPECT_EQ(get("flaky")["attempt_count"].GetInt(), 3);
  EXPECT_EQ(events_of("task_retrying").size(), 2u);
  // Two waits of 150 ms ± 25 % lie between the three attempts.
  EXPECT_GE(elapsed, std::chrono::milliseconds(2 * 112));
}

TEST_F(EngineTest, TheLastAttemptsFailureIsFinal) {
  create(R"({"tasks":[)" + flaky("doomed", 9, 2, 20) + "]}");
  auto out = run("doomed");
  EXPECT_STREQ(out["status"].GetString(), "failed");
  EXPECT_EQ(error("doomed"), "flaky on attempt 2");
  EXPECT_EQ(get("doomed")["attempt_count"].GetInt(), 2);
  EXPECT_EQ(events_of("task_retrying").size(), 1u);
}

TEST_F(EngineTest, AnErrorThatIsNotRetryableFailsAtOnce) {
  create(R"({"tasks":[)" + task("broken", R"("max_attempts":5)", R"({"fail":"bad request"})") +
         "]}");
  EXPECT_STREQ(run("broken")["status"].GetString(), "failed");
  EXPECT_EQ(get("broken")["attempt_count"].GetInt(), 1);
  EXPECT_TRUE(events_of("task_retrying").empty());
}

TEST_F(EngineTest, AWaitingRetryIsPersistedAndNotRunBeforeItIsDue) {
  create(R"({"tasks":[)" + flaky("slow", 2, 3, 60000) + "]}");
  const int64_t before = engine::now_ms();
  engine_->execute(parse(R"({"task_id":"slow"})"));
  for (int i = 0; i < 200 && events_of("task_retrying").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(events_of("task_retrying").size(), 1u);
  auto row = get("slow");
  EXPECT_STREQ(row["status"].GetString(), "pending");
  EXPECT_EQ(error("slow"), "flaky on attempt 1");  // the last failure stays visible
  ASSERT_TRUE(row["retry_at"].IsInt64());
  EXPECT_GE(row["retry_at"].GetInt64(), before + 45000);  // 60 s less the jitter
  // A restart (stop, start) keeps waiting instead of running it early.
  engine_->stop();
  engine_->start();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(get("slow")["attempt_count"].GetInt(), 1);
  EXPECT_STREQ(get("slow")["status"].GetString(), "pending");
  engine_->cancel(parse(R"({"task_ids":["slow"]})"));
  EXPECT_TRUE(get("slow")["retry_at"].IsNull());
}

TEST_F(EngineTest, ARetryResumesFromTheLastCheckpointWhichGoesWhenTheTaskCompletes) {
  create(R"({"tasks":[)" +
         task("steps", R"("max_attempts":3,"backoff_strategy":"fixed","backoff_base_ms":400)",
              R"({"fail_until_attempt":2,"checkpoint":true})") +
         "]}");
  engine_->execute(parse(R"({"task_id":"steps"})"));
  for (int i = 0; i < 200 && events_of("task_retrying").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Between the attempts the checkpoint is readable through the module's engine operation.
  auto saved = engine_->checkpoint(parse(R"({"task_id":"steps"})"));
  EXPECT_TRUE(saved["has_checkpoint"].GetBool()) << dump(saved);
  EXPECT_EQ(saved["data"]["step"].GetInt(), 1);
  for (int i = 0; i < 300 && status("steps") != "completed"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto row = get("steps");
  EXPECT_STREQ(row["status"].GetString(), "completed");
  EXPECT_EQ(row["result"]["resumed_from"].GetInt(), 1);  // attempt 2 started where 1 stopped
  EXPECT_FALSE(engine_->checkpoint(parse(R"({"task_id":"steps"})"))["has_checkpoint"].GetBool());
}

// Threads of this process now, as the kernel lists them.
size_t thread_count() {
  const std::filesystem::directory_iterator tasks("/proc/self/task");
  return static_cast<size_t>(std::distance(begin(tasks), end(tasks)));
}

// Every thread an engine starts (scheduler, schedule poller) is joined when it is destroyed,
// even with a retry pending: none is left running into process exit.
TEST_F(EngineTest, AnEngineDestroyedWithARetryPendingLeavesNoThreadBehind) {
  const size_t before = thread_count();
  create(R"({"tasks":[)" + flaky("later", 2, 3, 60000) + "]}");
  engine_->execute(parse(R"({"task_id":"later"})"));
  for (int i = 0; i < 200 && events_of("task_retrying").empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(events_of("task_retrying").size(), 1u);
  EXPECT_GT(thread_count(), before);
  engine_.reset();
  // A joined thread may linger in /proc a moment after join returns.
  for (int i = 0; i < 100 && thread_count() != before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(thread_count(), before);
}

class ConfiguredAttempts : public EngineTest {
 protected:
  ConfiguredAttempts()
      : EngineTest(4, [](engine::EngineConfig& settings) { settings.default_max_attempts = 2; }) {}
};

TEST_F(ConfiguredAttempts, ATaskWithoutMaxAttemptsTakesTheConfiguredDefault) {
  create(R"({"tasks":[)" + task("plain") + "," + task("own", R"("max_attempts":4)") + "]}");
  EXPECT_EQ(get("plain")["max_attempts"].GetInt(), 2);
  EXPECT_EQ(get("own")["max_attempts"].GetInt(), 4);
  engine_->create_task(parse(R"({"name":"single","id":"single"})"));
  EXPECT_EQ(get("single")["max_attempts"].GetInt(), 2);
}

}  // namespace
}  // namespace apflow::testing
