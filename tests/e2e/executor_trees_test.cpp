// The built-in executors inside task trees run by `apflow run` (the real engine and SQLite
// store), against real test servers on 127.0.0.1: one tree per executor, plus one where the
// three depend on each other.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>

#include "background_server.h"
#include "process.h"

namespace apflow::testing {
namespace {

class ExecutorTrees : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::path(::testing::TempDir()) /
        ("trees_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  // Runs the tree with plugins.<...> = config; returns the parsed `--format json` output.
  rapidjson::Document run(const std::string& config, const std::string& tree, int expect_exit) {
    std::ofstream(dir_ / "apflow.yaml") << config;
    std::ofstream(dir_ / "tree.json") << tree;
    ProcessOptions options;
    options.unset_env = {"APFLOW_CONFIG", "APFLOW_PLUGIN_PATH", "APFLOW_DATABASE_URL", "SMTP_HOST",
                         "SMTP_PASSWORD"};
    options.cwd = dir_.string();
    auto result = run_process(
        {apflow_binary(), "--config", (dir_ / "apflow.yaml").string(), "--db",
         (dir_ / "apflow.db").string(), "run", (dir_ / "tree.json").string(), "--format", "json"},
        options);
    EXPECT_EQ(result.exit_code, expect_exit) << result.err << result.out;
    rapidjson::Document out;
    out.Parse(result.out.c_str());
    EXPECT_FALSE(out.HasParseError()) << result.out << result.err;
    return out;
  }
  std::filesystem::path dir_;
};

TEST_F(ExecutorTrees, CommandTaskRunsInATree) {
  auto out = run("plugins:\n  command:\n    enabled: true\n    allowed_programs: [printf]\n",
                 R"({"tasks":[{"name":"say","params":{"executor_id":"command_executor"},
                      "inputs":{"command":["printf","%s-%s","tree","run"]}}]})",
                 0);
  const auto& task = out["trees"][0]["task"];
  EXPECT_STREQ(task["status"].GetString(), "completed");
  EXPECT_STREQ(task["result"]["stdout"].GetString(), "tree-run");
}

TEST_F(ExecutorTrees, ARefusedCommandFailsTheTaskAndTheRun) {
  auto out = run("{}\n",
                 R"({"tasks":[{"name":"say","params":{"executor_id":"command_executor"},
                      "inputs":{"command":["printf","x"]}}]})",
                 1);
  const auto& task = out["trees"][0]["task"];
  EXPECT_STREQ(task["status"].GetString(), "failed");
  EXPECT_NE(std::string(task["error"].GetString()).find("plugins.command.enabled"),
            std::string::npos);
}

TEST_F(ExecutorTrees, RestTaskFeedsItsResultToADependent) {
  BackgroundServer http({python(), script("http_test_server.py")});
  const std::string url = "http://127.0.0.1:" + std::to_string(http.port()) + "/echo";
  auto out = run("plugins:\n  rest:\n    allow_loopback: true\n",
                 R"({"tasks":[{"name":"report","id":"report",
                      "params":{"executor_id":"aggregate_results_executor"},
                      "dependencies":["fetch"]},
                     {"name":"fetch","id":"fetch","parent_id":"report",
                      "params":{"executor_id":"rest_executor"},
                      "inputs":{"url":")" +
                     url + R"(","method":"POST","json":{"n":7}}}]})",
                 0);
  const auto& root = out["trees"][0]["task"];
  EXPECT_STREQ(root["status"].GetString(), "completed");
  const auto& fetched = root["result"]["results"]["fetch"];
  EXPECT_EQ(fetched["status_code"].GetInt(), 200);
  EXPECT_STREQ(fetched["json"]["body"].GetString(), R"({"n":7})");
}

TEST_F(ExecutorTrees, EmailTaskRunsAfterTheTasksItDependsOn) {
  const auto mail_dir = dir_ / "mail";
  BackgroundServer smtp({python(), script("smtp_test_server.py"), "--out", mail_dir.string()});
  BackgroundServer http({python(), script("http_test_server.py")});
  const std::string url = "http://127.0.0.1:" + std::to_string(http.port()) + "/text";
  auto out =
      run("plugins:\n  rest:\n    allow_loopback: true\n"
          "  command:\n    enabled: true\n    allowed_programs: [printf]\n"
          "  email:\n    smtp_host: 127.0.0.1\n    smtp_port: " +
              std::to_string(smtp.port()) +
              "\n    security: none\n    from_email: apflow@example.com\n",
          R"({"tasks":[
                     {"name":"notify","id":"notify","params":{"executor_id":"send_email_executor"},
                      "dependencies":["fetch","list"],
                      "inputs":{"to":"ops@example.com","subject":"done","body":"both ran"}},
                     {"name":"fetch","id":"fetch","parent_id":"notify",
                      "params":{"executor_id":"rest_executor"},"inputs":{"url":")" +
              url + R"("}},
                     {"name":"list","id":"list","parent_id":"notify",
                      "params":{"executor_id":"command_executor"},
                      "inputs":{"command":["printf","ok"]}}]})",
          0);
  const auto& root = out["trees"][0]["task"];
  EXPECT_STREQ(root["status"].GetString(), "completed");
  EXPECT_STREQ(root["result"]["message"].GetString(), "Email sent to ops@example.com");
  EXPECT_TRUE(std::filesystem::exists(mail_dir / "msg-1.json"));
}

}  // namespace
}  // namespace apflow::testing
