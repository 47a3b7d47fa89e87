// apflow_api_executor between two real apflow processes on 127.0.0.1: a remote `apflow serve`
// (its own directory, database and token) and a local `apflow run` of a tree whose task runs
// work on the remote, or a direct module call through the local CLI.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "remote_apflow.h"

namespace apflow::testing {
namespace {

constexpr const char* kToken = "remote-secret-7f3a";

class ApflowApi : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("apflow_api_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    remote_ = start_remote_apflow(dir_, kToken);
  }
  std::string base_url() const { return base_url_of(*remote_); }
  // The local apflow's config: loopback allowed (the remote is on 127.0.0.1), this token, no
  // retries (a test of one attempt's error).
  static std::string config(const std::string& token) {
    return "plugins:\n  apflow_api:\n    allow_loopback: true\n    poll_interval: 0.05\n"
           "    token: " +
           token + "\ndurability:\n  max_attempts: 1\n";
  }
  ProcessResult apflow(const std::string& token, std::vector<std::string> args,
                       const std::string& stdin_text = {}) {
    std::ofstream(dir_ / "apflow.yaml") << config(token);
    std::vector<std::string> argv = {apflow_binary(), "--config", (dir_ / "apflow.yaml").string(),
                                     "--db", (dir_ / "apflow.db").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessOptions options;
    options.unset_env = {"APFLOW_CONFIG", "APFLOW_PLUGIN_PATH", "APFLOW_DATABASE_URL",
                         "APFLOW_API_TOKEN"};
    options.cwd = dir_.string();
    options.stdin_text = stdin_text;
    return run_process(argv, options);
  }
  // Runs a local tree of one apflow_api_executor task with these inputs; returns that task.
  rapidjson::Document run_task(const std::string& inputs, int expect_exit,
                               const std::string& token = kToken) {
    std::ofstream(dir_ / "tree.json")
        << R"({"tasks":[{"name":"remote","id":"remote","params":{"executor_id":"apflow_api_executor"},"inputs":)"
        << inputs << "}]}";
    const auto result = apflow(token, {"run", (dir_ / "tree.json").string(), "--format", "json"});
    EXPECT_EQ(result.exit_code, expect_exit) << result.err << result.out;
    EXPECT_EQ(result.err.find(kToken), std::string::npos) << "the token was logged";
    rapidjson::Document out;
    out.Parse(result.out.c_str());
    EXPECT_FALSE(out.HasParseError()) << result.out << result.err;
    rapidjson::Document task;
    if (!out.HasParseError()) task.CopyFrom(out["trees"][0]["task"], task.GetAllocator());
    return task;
  }
  std::string tree_inputs(const std::string& remote_tasks) const {
    return R"({"base_url":")" + base_url() + R"(","tasks":)" + remote_tasks + "}";
  }

  std::filesystem::path dir_;
  std::unique_ptr<BackgroundServer> remote_;
};

TEST_F(ApflowApi, RemoteTreeResultBecomesTheTaskResult) {
  auto task = run_task(tree_inputs(R"([{"id":"greet","name":"greet",
      "params":{"executor_id":"passthrough_executor"},"inputs":{"city":"Paris"}}])"),
                       0);
  ASSERT_TRUE(task.IsObject());
  EXPECT_STREQ(task["status"].GetString(), "completed");
  const auto& result = task["result"];
  EXPECT_TRUE(result["success"].GetBool());
  EXPECT_STREQ(result["status"].GetString(), "completed");
  EXPECT_STREQ(result["root_task_id"].GetString(), "greet");
  EXPECT_STREQ(result["result"]["city"].GetString(), "Paris");
}

TEST_F(ApflowApi, RemoteFailureFailsTheTaskWithTheRemoteText) {
  // command_executor is off on the remote: its task fails there with the reason.
  auto task = run_task(tree_inputs(R"([{"id":"say","name":"say",
      "params":{"executor_id":"command_executor"},"inputs":{"command":["printf","x"]}}])"),
                       1);
  ASSERT_TRUE(task.IsObject());
  EXPECT_STREQ(task["status"].GetString(), "failed");
  const std::string error = task["error"].GetString();
  EXPECT_NE(error.find("the remote tree say"), std::string::npos) << error;
  EXPECT_NE(error.find("plugins.command.enabled"), std::string::npos) << error;
}

TEST_F(ApflowApi, WrongTokenSaysTheRemoteRefusedIt) {
  auto task = run_task(tree_inputs(R"([{"id":"t","name":"t",
      "params":{"executor_id":"passthrough_executor"}}])"),
                       1, "not-the-token");
  ASSERT_TRUE(task.IsObject());
  const std::string error = task["error"].GetString();
  EXPECT_NE(error.find("HTTP 401"), std::string::npos) << error;
  EXPECT_NE(error.find("token is missing or wrong"), std::string::npos) << error;
  EXPECT_EQ(error.find("not-the-token"), std::string::npos) << error;
}

TEST_F(ApflowApi, UnreachablePortSaysTheConnectionFailed) {
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/";
  auto task = run_task(R"({"base_url":")" + url + R"(","module":"apflow.task.list"})", 1);
  ASSERT_TRUE(task.IsObject());
  const std::string error = task["error"].GetString();
  EXPECT_NE(error.find("Connection failed"), std::string::npos) << error;
  EXPECT_NE(error.find(url), std::string::npos) << error;
}

TEST_F(ApflowApi, DirectModuleCallRunsARemoteModule) {
  // A tree made on the remote, then read back through the executor called as a module.
  auto created = run_task(tree_inputs(R"([{"id":"kept","name":"kept",
      "params":{"executor_id":"passthrough_executor"},"inputs":{"n":3}}])"),
                          0);
  ASSERT_TRUE(created.IsObject());
  const auto result =
      apflow(kToken, {"apflow-api-executor", "--input", "-", "--format", "json"},
             R"({"base_url":")" + base_url() +
                 R"(","module":"apflow.task.get","module_input":{"task_id":"kept"}})");
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  rapidjson::Document out;
  out.Parse(result.out.c_str());
  ASSERT_FALSE(out.HasParseError()) << result.out;
  EXPECT_STREQ(out["module"].GetString(), "apflow.task.get");
  EXPECT_STREQ(out["result"]["status"].GetString(), "completed");
  EXPECT_EQ(out["result"]["result"]["n"].GetInt(), 3);
}

TEST_F(ApflowApi, TimeoutCancelsTheRemoteTree) {
  const auto result = apflow(
      kToken, {"apflow-api-executor", "--input", "-"},
      tree_inputs(R"([{"id":"slow","name":"slow","params":{"executor_id":"passthrough_executor"},
                       "inputs":{"delay_ms":60000}}])")
          // Long enough for the remote tree to be created and started under a loaded machine:
          // the deadline must pass while the tree runs, which is when it is cancelled there.
          .insert(1, R"("timeout":3,)"));
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("did not end in time"), std::string::npos) << result.err;
  const auto read =
      apflow(kToken, {"apflow-api-executor", "--input", "-", "--format", "json"},
             R"({"base_url":")" + base_url() +
                 R"(","module":"apflow.task.get","module_input":{"task_id":"slow"}})");
  ASSERT_EQ(read.exit_code, 0) << read.err;
  rapidjson::Document out;
  out.Parse(read.out.c_str());
  ASSERT_FALSE(out.HasParseError()) << read.out;
  EXPECT_STREQ(out["result"]["status"].GetString(), "cancelled");
}

}  // namespace
}  // namespace apflow::testing
