// apflow_api_executor called through the real host (in this process) against a real remote
// `apflow serve` on 127.0.0.1: error codes, retryability and cancellation as a caller sees them.
// The trees between two apflow processes are in tests/e2e/apflow_api_test.cpp.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "executor_host.h"
#include "remote_apflow.h"

namespace apflow::testing {
namespace {

constexpr const char* kToken = "remote-token-51c2";

class ApflowApiExecutor : public ::testing::Test {
 protected:
  void SetUp() override {
    remote_ = start_remote_apflow(dir_, kToken);
    host_ = std::make_unique<ExecutorHost>(
        dir_, std::string("plugins:\n  apflow_api:\n    allow_loopback: true\n") +
                  "    poll_interval: 0.05\n    token: " + kToken + "\n");
  }
  std::string base_url() const { return base_url_of(*remote_); }
  registry::CallOutcome call_module(const std::string& module, const std::string& input) {
    return host_->call("apflow.apflow_api_executor", R"({"base_url":")" + base_url() +
                                                         R"(","module":")" + module +
                                                         R"(","module_input":)" + input + "}");
  }
  // The remote task's status, read through the executor.
  std::string remote_status(const std::string& task_id) {
    auto outcome = call_module("apflow.task.get", R"({"task_id":")" + task_id + R"("})");
    if (!outcome.ok()) return outcome.error_message;
    return parse(outcome.output_json)["result"]["status"].GetString();
  }

  std::filesystem::path dir_ = test_dir("apflow_api");
  std::unique_ptr<BackgroundServer> remote_;
  std::unique_ptr<ExecutorHost> host_;
};

TEST_F(ApflowApiExecutor, ARemoteModuleFailureCarriesTheRemoteText) {
  auto outcome = call_module("apflow.task.get", R"({"task_id":"no-such-task"})");
  EXPECT_EQ(outcome.error_code, "APFLOW_API_REMOTE_FAILED");
  EXPECT_NE(outcome.error_message.find("apflow.task.get failed on " + base_url()),
            std::string::npos)
      << outcome.error_message;
  EXPECT_NE(outcome.error_message.find("no-such-task"), std::string::npos) << outcome.error_message;
  EXPECT_FALSE(outcome.retryable);
}

TEST_F(ApflowApiExecutor, AnUnknownModuleIsTheRemotesJsonRpcError) {
  auto outcome = call_module("apflow.nothing", "{}");
  EXPECT_EQ(outcome.error_code, "APFLOW_API_RPC_ERROR");
  EXPECT_NE(outcome.error_message.find("Skill not found: apflow.nothing"), std::string::npos)
      << outcome.error_message;
}

TEST_F(ApflowApiExecutor, ConnectionRefusedIsRetryable) {
  auto outcome = host_->call(
      "apflow.apflow_api_executor",
      R"({"base_url":"http://127.0.0.1:)" + std::to_string(closed_port()) + R"(/","module":"m"})");
  EXPECT_EQ(outcome.error_code, "APFLOW_API_CONNECT_FAILED");
  EXPECT_TRUE(outcome.retryable);
}

TEST_F(ApflowApiExecutor, LoopbackIsRefusedUnlessConfigured) {
  ExecutorHost strict(dir_, "{}\n");
  auto outcome = strict.call("apflow.apflow_api_executor",
                             R"({"base_url":")" + base_url() + R"(","module":"m"})");
  EXPECT_EQ(outcome.error_code, "APFLOW_API_ADDRESS_REFUSED");
  EXPECT_NE(outcome.error_message.find("plugins.apflow_api.allow_loopback"), std::string::npos)
      << outcome.error_message;
}

TEST_F(ApflowApiExecutor, CancellingTheCallCancelsTheRemoteTree) {
  std::promise<registry::CallOutcome> done;
  registry::CallObserver observer;
  observer.on_done = [&done](const registry::CallOutcome& o) { done.set_value(o); };
  auto running = host_->pipeline().start({.module_id = "apflow.apflow_api_executor",
                                          .input_json = R"({"base_url":")" + base_url() +
                                                        R"(","tasks":[{"id":"slow","name":"slow",
                        "params":{"executor_id":"passthrough_executor"},
                        "inputs":{"delay_ms":60000}}]})"},
                                         std::move(observer));
  // Bounded: until the remote tree runs (at most 10 s), then cancel the local call.
  for (int i = 0; i < 100 && remote_status("slow") != "in_progress"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  running->cancel();
  auto future = done.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(15)), std::future_status::ready);
  EXPECT_EQ(future.get().error_code, "EXECUTION_CANCELLED");
  std::string status;
  for (int i = 0; i < 50 && status != "cancelled"; ++i) {
    status = remote_status("slow");
    if (status != "cancelled") std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, "cancelled");
}

}  // namespace
}  // namespace apflow::testing
