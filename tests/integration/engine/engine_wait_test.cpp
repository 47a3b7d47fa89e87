// Waiting executes through the apflow.task.execute module, as agents call it: each is answered
// when its tree's run ends, and holds no worker of the call pipeline meanwhile (the tasks it
// waits for need those workers).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "engine_fixture.h"
#include "modules/task_modules.h"

namespace apflow::testing {
namespace {

class WaitingExecute : public EngineTest {
 protected:
  WaitingExecute() { modules::register_task_modules(registry_, *engine_); }

  // Starts apflow.task.execute with `input`; its outcome lands in outcomes_.
  void start_execute(const std::string& input) {
    registry::CallRequest request;
    request.module_id = "apflow.task.execute";
    request.input_json = input;
    registry::CallObserver observer;
    observer.on_done = [this](const registry::CallOutcome& outcome) {
      std::lock_guard lock(mutex_);
      outcomes_.push_back(outcome);
      answered_.notify_all();
    };
    pipeline_.start(std::move(request), std::move(observer));
  }
  // Waits (bounded) until `count` calls have answered; returns their outcomes.
  std::vector<registry::CallOutcome> outcomes(size_t count, std::chrono::seconds limit) {
    std::unique_lock lock(mutex_);
    answered_.wait_for(lock, limit, [&] { return outcomes_.size() >= count; });
    return outcomes_;
  }

  std::mutex mutex_;
  std::condition_variable answered_;
  std::vector<registry::CallOutcome> outcomes_;
};

// The fixture's pipeline has 16 workers; 20 callers wait at once, each for a tree whose one
// task runs on a worker. A caller that blocked a worker would starve the tasks until its wait
// timed out, and then see its task still pending.
TEST_F(WaitingExecute, MoreWaitingCallersThanWorkersEachSeeTheirTreeComplete) {
  constexpr int kTrees = 20;
  for (int i = 0; i < kTrees; ++i) {
    create(R"({"tasks":[)" + task("t" + std::to_string(i), "", R"({"sleep_ms":20})") + "]}");
  }
  for (int i = 0; i < kTrees; ++i) {
    start_execute(R"({"task_id":"t)" + std::to_string(i) + R"(","wait":true,"timeout_ms":15000})");
  }
  const auto answers = outcomes(kTrees, std::chrono::seconds(40));
  ASSERT_EQ(answers.size(), static_cast<size_t>(kTrees));
  for (const auto& answer : answers) {
    ASSERT_TRUE(answer.ok()) << answer.error_code << ": " << answer.error_message;
    auto out = parse(answer.output_json);
    EXPECT_STREQ(out["status"].GetString(), "completed") << answer.output_json;
    EXPECT_EQ(out["queued"].GetInt(), 1);
  }
}

// A caller waiting when the engine stops is answered then, with the task's state at that
// moment, not left until its timeout.
TEST_F(WaitingExecute, StoppingTheEngineAnswersAWaitingCaller) {
  create(R"({"tasks":[)" + task("slow", "", R"({"sleep_ms":30000})") + "]}");
  start_execute(R"({"task_id":"slow","wait":true,"timeout_ms":25000})");
  for (int i = 0; i < 500 && status("slow") != "in_progress"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(status("slow"), "in_progress");
  engine_->stop();
  const auto answers = outcomes(1, std::chrono::seconds(10));
  ASSERT_EQ(answers.size(), 1u) << "the waiting caller was not answered when the engine stopped";
  ASSERT_TRUE(answers[0].ok()) << answers[0].error_message;
  EXPECT_NE(std::string(parse(answers[0].output_json)["status"].GetString()), "completed");
}

}  // namespace
}  // namespace apflow::testing
