// Crash recovery: a 1,000-task run of checkpointing executors whose process is killed with
// SIGKILL at several moments and started again each time. In the end every task is completed,
// nothing is lost, each task's stored result is that of its last attempt (a completion is
// committed once), a repeated attempt resumed from a checkpoint its predecessor saved (never
// from a later one), completed tasks keep no checkpoint, and the number of executor calls a
// crash made the engine repeat is reported.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "process.h"

namespace apflow::testing {
namespace {

constexpr int kTasks = 1000;

class CrashRecovery : public ::testing::Test {
 protected:
  void SetUp() override {
    // One directory per test: ctest runs the tests of this file in parallel processes.
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("crash_recovery_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ProcessResult apflow(std::vector<std::string> args, std::chrono::milliseconds timeout,
                       const std::string& stdin_text = {},
                       const std::map<std::string, std::string>& env = {}) {
    args.insert(args.begin(), {apflow_binary(), "--db", (dir_ / "apflow.db").string(),
                               "--plugin-dir", TEST_GOOD_PLUGINS});
    ProcessOptions options;
    options.unset_env = {"APFLOW_CONFIG", "APFLOW_PLUGIN_PATH", "APFLOW_DATABASE_URL"};
    options.env = {{"APFLOW_ENGINE__LEASE_MS", "500"}, {"APFLOW_ENGINE__MAX_PARALLEL", "16"}};
    for (const auto& [name, value] : env) options.env[name] = value;
    options.cwd = dir_.string();
    options.stdin_text = stdin_text;
    options.timeout = timeout;
    return run_process(args, options);
  }
  std::filesystem::path dir_;
};

TEST_F(CrashRecovery, KilledRunsResumeAndEveryTaskCompletesOnce) {
  std::string tasks = R"({"tasks":[{"name":"root","id":"root",)"
                      R"("params":{"executor_id":"record_executor"}})";
  for (int i = 1; i < kTasks; ++i) {
    tasks += R"(,{"name":"t)" + std::to_string(i) +
             R"(","parent_id":"root","params":{"executor_id":"record_executor"},)"
             R"("inputs":{"sleep_ms":60,"checkpoint":true}})";
  }
  tasks += "]}";
  auto created = apflow({"task", "create-tree", "--input", "-", "--format", "json"},
                        std::chrono::seconds(60), tasks);
  ASSERT_EQ(created.exit_code, 0) << created.err;

  // Kill the running process at random moments (the seed is printed to replay a failure),
  // then let one run finish. 1,000 tasks of 60 ms on 16 slots need about 4 s, and start-up
  // takes a few hundred ms: every kill lands mid-run.
  const unsigned seed = std::random_device{}();
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> moment(300, 1200);
  const int kill_after_ms[] = {moment(random), moment(random), moment(random), moment(random)};
  std::cout << "crash recovery: kill moments (seed " << seed << "): " << kill_after_ms[0] << ", "
            << kill_after_ms[1] << ", " << kill_after_ms[2] << ", " << kill_after_ms[3] << " ms\n";
  int kills = 0;
  for (int attempt = 0; attempt < 40; ++attempt) {
    const bool last = kills == static_cast<int>(std::size(kill_after_ms));
    const auto timeout =
        last ? std::chrono::milliseconds(120000) : std::chrono::milliseconds(kill_after_ms[kills]);
    auto run = apflow({"task", "execute", "--task-id", "root", "--wait", "--timeout-ms", "110000",
                       "--timeout", "115000", "--format", "json"},
                      timeout);
    if (run.err.find("TASK_ALREADY_RUNNING") != std::string::npos) {
      // The killed process's leases have not expired yet.
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    if (!last) {
      EXPECT_EQ(run.exit_code, 128 + SIGKILL) << run.err;
      ++kills;
      continue;
    }
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    break;
  }
  ASSERT_EQ(kills, static_cast<int>(std::size(kill_after_ms)));

  auto tree =
      apflow({"task", "tree", "--task-id", "root", "--format", "json"}, std::chrono::seconds(60));
  rapidjson::Document doc;
  doc.Parse(tree.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << tree.err;
  int completed = 0, repeated = 0, resumed = 0;
  std::vector<std::string> repeated_ids;
  auto check = [&](const rapidjson::Value& task) {
    EXPECT_STREQ(task["status"].GetString(), "completed") << task["id"].GetString();
    if (std::string_view(task["status"].GetString()) != "completed") return;
    ++completed;
    const int attempts = task["attempt_count"].GetInt();
    EXPECT_EQ(task["result"]["attempt"].GetInt(), attempts) << task["id"].GetString();
    repeated += attempts - 1;
    if (attempts > 1) repeated_ids.emplace_back(task["id"].GetString());
    // An attempt killed before it saved leaves nothing to resume from, so at most one step per
    // earlier attempt.
    const int from = task["result"]["resumed_from"].GetInt();
    EXPECT_LE(from, attempts - 1) << task["id"].GetString();
    if (from > 0) ++resumed;
  };
  check(doc["task"]);
  for (const auto& child : doc["children"].GetArray()) check(child["task"]);
  EXPECT_EQ(completed, kTasks);
  for (size_t i = 0; i < repeated_ids.size() && i < 5; ++i) {
    auto cp = apflow({"task", "checkpoint", "--task-id", repeated_ids[i], "--format", "json"},
                     std::chrono::seconds(30));
    rapidjson::Document checkpoint;
    checkpoint.Parse(cp.out.c_str());
    ASSERT_TRUE(checkpoint.IsObject()) << cp.out << cp.err;
    EXPECT_FALSE(checkpoint["has_checkpoint"].GetBool()) << cp.out;
  }
  std::cout << "crash recovery: " << kills << " kills, " << completed
            << " tasks completed, executor calls repeated after a crash: " << repeated
            << ", attempts resumed from a checkpoint: " << resumed << "\n";
}

TEST_F(CrashRecovery, AnExecutorThatKillsItsProcessIsRunAgainAfterTheRestart) {
  auto created =
      apflow({"task", "create-tree", "--input", "-", "--format", "json"}, std::chrono::seconds(60),
             R"({"tasks":[{"name":"fragile","id":"fragile",)"
             R"("params":{"executor_id":"record_executor"},)"
             R"("inputs":{"crash_on_attempt":1,"checkpoint":true}}]})");
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::vector<std::string> execute = {"task",    "execute",  "--task-id",
                                            "fragile", "--wait",   "--timeout-ms",
                                            "20000",   "--format", "json"};
  auto crashed = apflow(execute, std::chrono::seconds(30));
  EXPECT_EQ(crashed.exit_code, 134) << crashed.out << crashed.err;  // the executor took it down
  ProcessResult resumed;
  for (int i = 0; i < 50; ++i) {  // until the dead process's 500 ms lease has expired
    resumed = apflow(execute, std::chrono::seconds(30));
    if (resumed.err.find("TASK_ALREADY_RUNNING") == std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(resumed.exit_code, 0) << resumed.out << resumed.err;
  rapidjson::Document doc;
  doc.Parse(resumed.out.c_str());
  ASSERT_TRUE(doc.IsObject()) << resumed.out;
  EXPECT_STREQ(doc["status"].GetString(), "completed");
  EXPECT_EQ(doc["result"]["attempt"].GetInt(), 2);
  EXPECT_EQ(doc["result"]["resumed_from"].GetInt(), 0);  // it died before saving anything
}

// A "poison" task that takes its process down every time it runs: each restart finds its lease
// expired, and after engine.max_lease_expiries of those the task fails instead of running
// again, and its dependents and parent fail with it.
TEST_F(CrashRecovery, ATaskThatKeepsKillingItsProcessFailsAfterTheConfiguredAbandonments) {
  auto created =
      apflow({"task", "create-tree", "--input", "-", "--format", "json"}, std::chrono::seconds(60),
             R"({"tasks":[{"name":"job","id":"job","params":{"executor_id":"record_executor"}},)"
             R"({"name":"poison","id":"poison","parent_id":"job",)"
             R"("params":{"executor_id":"record_executor"},"inputs":{"crash_always":true}},)"
             R"({"name":"after","id":"after","parent_id":"job","dependencies":["poison"],)"
             R"("params":{"executor_id":"record_executor"}}]})");
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::vector<std::string> execute = {"task",         "execute", "--task-id", "job", "--wait",
                                            "--timeout-ms", "20000",   "--format",  "json"};
  const std::map<std::string, std::string> limit = {{"APFLOW_ENGINE__MAX_LEASE_EXPIRIES", "2"}};
  int crashes = 0;
  ProcessResult last;
  for (int i = 0; i < 100; ++i) {
    last = apflow(execute, std::chrono::seconds(30), {}, limit);
    if (last.err.find("TASK_ALREADY_RUNNING") != std::string::npos) {
      // The killed process's 500 ms lease has not expired yet.
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    if (last.exit_code != 134) break;
    ++crashes;
  }
  // The first run and one after each of the two tolerated expiries; the third expiry fails it.
  EXPECT_EQ(crashes, 3);
  ASSERT_EQ(last.exit_code, 0) << last.out << last.err;
  rapidjson::Document doc;
  doc.Parse(last.out.c_str());
  ASSERT_TRUE(doc.IsObject()) << last.out;
  EXPECT_STREQ(doc["status"].GetString(), "failed") << last.out;

  auto tree =
      apflow({"task", "tree", "--task-id", "job", "--format", "json"}, std::chrono::seconds(60));
  rapidjson::Document rows;
  rows.Parse(tree.out.c_str());
  ASSERT_TRUE(rows.IsObject()) << tree.out << tree.err;
  std::map<std::string, std::pair<std::string, std::string>> seen;  // name -> status, error
  auto note = [&](const rapidjson::Value& task) {
    seen[task["name"].GetString()] = {task["status"].GetString(),
                                      task["error"].IsString() ? task["error"].GetString() : ""};
  };
  note(rows["task"]);
  for (const auto& child : rows["children"].GetArray()) note(child["task"]);
  const std::string abandoned =
      "Task poison was abandoned 3 times (its process stopped or lost its lease while running "
      "it); failed to protect the service. Re-execute it to try again";
  EXPECT_EQ(seen["poison"], std::make_pair(std::string("failed"), abandoned));
  EXPECT_EQ(seen["after"], std::make_pair(std::string("failed"),
                                          "dependency 'poison' (poison) failed: " + abandoned));
  EXPECT_EQ(seen["job"].first, "failed");
  EXPECT_NE(seen["job"].second.find("child task 'poison' (poison) failed"), std::string::npos)
      << seen["job"].second;
}

}  // namespace
}  // namespace apflow::testing
