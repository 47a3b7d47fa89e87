// `apflow run FILE` against the real engine and the embedded SQLite store: the example trees,
// a failing tree's exit code, and Ctrl-C cancelling a running tree cleanly.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>

#include "process.h"

namespace apflow::testing {
namespace {

class RunCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("run_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ProcessResult apflow(std::vector<std::string> args, ProcessOptions options = {}) {
    args.insert(args.begin(), {apflow_binary(), "--db", (dir_ / "apflow.db").string(),
                               "--plugin-dir", TEST_GOOD_PLUGINS});
    options.unset_env = {"APFLOW_CONFIG", "APFLOW_PLUGIN_PATH", "APFLOW_DATABASE_URL"};
    options.cwd = dir_.string();
    return run_process(args, options);
  }
  std::string write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }
  std::filesystem::path dir_;
};

TEST_F(RunCommand, FanOutFanInExampleCompletesWithEveryResult) {
  auto result = apflow({"run", std::string(SOURCE_DIR) + "/config/examples/fan_out_fan_in.yaml",
                        "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  rapidjson::Document out;
  out.Parse(result.out.c_str());
  ASSERT_FALSE(out.HasParseError()) << result.out;
  const auto& root = out["trees"][0];
  EXPECT_STREQ(root["task"]["status"].GetString(), "completed");
  EXPECT_EQ(root["task"]["result"]["result_count"].GetInt(), 3);
  EXPECT_EQ(root["children"].Size(), 3u);
  EXPECT_NE(result.err.find("completed report"), std::string::npos) << result.err;
}

TEST_F(RunCommand, TheSameExampleRunsAgainOnTheSameDatabase) {
  const auto file = std::string(SOURCE_DIR) + "/config/examples/priorities.yaml";
  EXPECT_EQ(apflow({"run", file, "--format", "json"}).exit_code, 0);
  EXPECT_EQ(apflow({"run", file, "--format", "json"}).exit_code, 0);
}

TEST_F(RunCommand, AFailedTaskMakesTheExitCodeOne) {
  const auto file = write("bad.json", R"({"tasks":[{"name":"boom",)"
                                      R"("params":{"executor_id":"record_executor"},)"
                                      R"("inputs":{"fail":"no luck"}}]})");
  auto result = apflow({"run", file, "--format", "json"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("no luck"), std::string::npos) << result.out;
}

TEST_F(RunCommand, InvalidTreeIsRefusedWithTheCreationMessage) {
  const auto file = write("dup.yaml", "tasks:\n  - {name: a}\n  - {name: a}\n");
  auto result = apflow({"run", file});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("Duplicate task name 'a' at index 1"), std::string::npos) << result.err;
}

TEST_F(RunCommand, CtrlCCancelsTheTreeCleanly) {
  const auto file = write("slow.json", R"({"tasks":[{"name":"root","id":"root",)"
                                       R"("params":{"executor_id":"record_executor"}},)"
                                       R"({"name":"slow","id":"slow","parent_id":"root",)"
                                       R"("params":{"executor_id":"record_executor"},)"
                                       R"("inputs":{"sleep_ms":30000}}]})");
  ProcessOptions options;
  options.signal_number = SIGINT;
  options.signal_after_output = "started  slow";
  options.timeout = std::chrono::seconds(30);
  auto result = apflow({"run", file, "--format", "json"}, options);
  EXPECT_EQ(result.exit_code, 130) << result.err;
  auto status = apflow({"task", "get", "--task-id", "slow", "--format", "json"});
  rapidjson::Document row;
  row.Parse(status.out.c_str());
  ASSERT_FALSE(row.HasParseError()) << status.out << status.err;
  EXPECT_STREQ(row["status"].GetString(), "cancelled");
  EXPECT_NE(std::string(row["error"].GetString()).find("Ctrl-C"), std::string::npos);
}

TEST_F(RunCommand, AnUnusableDatabasePathStopsTheStartNamingIt) {
  ProcessOptions options;
  options.unset_env = {"APFLOW_CONFIG", "APFLOW_PLUGIN_PATH", "APFLOW_DATABASE_URL"};
  options.cwd = dir_.string();
  auto result = run_process({apflow_binary(), "--db", "/proc/no-such-dir/apflow.db", "run",
                             std::string(SOURCE_DIR) + "/config/examples/priorities.yaml"},
                            options);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("cannot open the sqlite store"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("/proc/no-such-dir/apflow.db"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
}

TEST_F(RunCommand, TaskCommandsReadWhatRunWrote) {
  ASSERT_EQ(apflow({"run", std::string(SOURCE_DIR) + "/config/examples/fan_out_fan_in.yaml",
                    "--format", "json"})
                .exit_code,
            0);
  auto list = apflow({"task", "list", "--status", "completed", "--limit", "2", "--format", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  rapidjson::Document page;
  page.Parse(list.out.c_str());
  ASSERT_FALSE(page.HasParseError()) << list.out;
  EXPECT_EQ(page["tasks"].Size(), 2u);
  EXPECT_EQ(page["total"].GetInt(), 4);  // the true total, not the page size
}

}  // namespace
}  // namespace apflow::testing
