// Calling real plugin modules through the host's one call pipeline: validation, results,
// errors, progress, deadlines, cancellation and asynchronous completion.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "config/config.h"
#include "plugins/plugin_host.h"
#include "registry/call_pipeline.h"
#include "registry/registry.h"

namespace apflow {
namespace {

using registry::CallOutcome;
using registry::CallRequest;

class PluginCall : public ::testing::Test {
 protected:
  PluginCall()
      : config_(config::Config::defaults()),
        pipeline_(registry_, 5000, 4),
        host_(registry_, pipeline_, events_, config_) {
    host_.load_all({TEST_GOOD_PLUGINS});
  }
  ~PluginCall() override { pipeline_.drain(); }

  CallOutcome call(const std::string& id, const std::string& input, int64_t timeout_ms = 0) {
    CallRequest request;
    request.module_id = id;
    request.input_json = input;
    request.timeout_ms = timeout_ms;
    return pipeline_.call(std::move(request));
  }

  config::Config config_;
  registry::Registry registry_;
  registry::CallPipeline pipeline_;
  EventBus events_;
  plugins::PluginHost host_;
};

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  return doc;
}

TEST_F(PluginCall, ExecutorRunsAsADirectModuleCall) {
  auto outcome = call("apflow.echo_executor", R"({"message":"hi"})");
  ASSERT_TRUE(outcome.ok()) << outcome.error_message;
  EXPECT_STREQ(parse(outcome.output_json)["echo"].GetString(), "hi");
}

TEST_F(PluginCall, InvalidInputIsRefusedWithTheValidatorsMessage) {
  auto outcome = call("apflow.echo_executor", R"({"message":42})");
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error_code, "SCHEMA_VALIDATION_ERROR");
  EXPECT_NE(outcome.error_message.find("message"), std::string::npos) << outcome.error_message;
  EXPECT_NE(outcome.error_message.find("string"), std::string::npos) << outcome.error_message;
  EXPECT_FALSE(outcome.retryable);
  auto details = parse(outcome.error_details_json);
  EXPECT_STREQ(details["errors"][0]["field"].GetString(), "/message");
}

TEST_F(PluginCall, UnknownPropertyAndMissingRequiredAreNamed) {
  auto unknown = call("apflow.echo_executor", R"({"message":"x","colour":"red"})");
  EXPECT_NE(unknown.error_message.find("colour"), std::string::npos) << unknown.error_message;
  auto missing = call("apflow.echo_executor", R"({})");
  EXPECT_NE(missing.error_message.find("message"), std::string::npos) << missing.error_message;
}

TEST_F(PluginCall, MalformedJsonAndNonObjectsAreInvalidInput) {
  auto malformed = call("apflow.echo_executor", R"({"message":)");
  EXPECT_EQ(malformed.error_code, "GENERAL_INVALID_INPUT");
  EXPECT_NE(malformed.error_message.find("not valid JSON"), std::string::npos);
  auto array = call("apflow.echo_executor", "[1,2]");
  EXPECT_EQ(array.error_code, "GENERAL_INVALID_INPUT");
  EXPECT_NE(array.error_message.find("must be a JSON object"), std::string::npos);
}

TEST_F(PluginCall, UnknownModuleIsModuleNotFound) {
  auto outcome = call("nope.nothing", "{}");
  EXPECT_EQ(outcome.error_code, "MODULE_NOT_FOUND");
  EXPECT_NE(outcome.error_message.find("nope.nothing"), std::string::npos);
}

TEST_F(PluginCall, PluginErrorsKeepTheirCodeAndMessage) {
  auto coded = call("testkit.fail", R"({"code":"TESTKIT_BROKEN","message":"the widget broke"})");
  EXPECT_EQ(coded.error_code, "TESTKIT_BROKEN");
  EXPECT_EQ(coded.error_message, "the widget broke");
  auto thrown = call("testkit.fail", R"({"message":"plain exception"})");
  EXPECT_EQ(thrown.error_code, "MODULE_EXECUTE_ERROR");
  EXPECT_EQ(thrown.error_message, "plain exception");
}

TEST_F(PluginCall, OutputThatBreaksTheOutputSchemaIsAnError) {
  auto outcome = call("testkit.bad_output", "{}");
  EXPECT_EQ(outcome.error_code, "SCHEMA_VALIDATION_ERROR");
  EXPECT_NE(outcome.error_message.find("output schema"), std::string::npos);
  EXPECT_NE(outcome.error_message.find("count"), std::string::npos) << outcome.error_message;
}

TEST_F(PluginCall, DeadlineStopsASlowModuleWithModuleTimeout) {
  auto outcome = call("testkit.sleep", R"({"ms":20000})", 50);
  EXPECT_EQ(outcome.status, APFLOW_TIMEOUT);
  EXPECT_EQ(outcome.error_code, "MODULE_TIMEOUT");
  EXPECT_TRUE(outcome.retryable);
}

TEST_F(PluginCall, CancellationReachesTheRunningModule) {
  std::promise<CallOutcome> done;
  registry::CallObserver observer;
  observer.on_done = [&done](const CallOutcome& o) { done.set_value(o); };
  CallRequest request{.module_id = "testkit.sleep", .input_json = R"({"ms":20000})"};
  auto running = pipeline_.start(std::move(request), std::move(observer));
  ASSERT_NE(running, nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  running->cancel();
  auto outcome = done.get_future().get();
  EXPECT_EQ(outcome.status, APFLOW_CANCELLED);
  EXPECT_EQ(outcome.error_code, "EXECUTION_CANCELLED");
  EXPECT_TRUE(running->is_cancelled());
}

TEST_F(PluginCall, ProgressIsReportedToTheCaller) {
  std::vector<double> fractions;
  std::mutex mutex;
  std::promise<CallOutcome> done;
  registry::CallObserver observer;
  observer.on_progress = [&](double f, std::string_view) {
    std::lock_guard lock(mutex);
    fractions.push_back(f);
  };
  observer.on_done = [&done](const CallOutcome& o) { done.set_value(o); };
  pipeline_.start({.module_id = "apflow.echo_executor", .input_json = R"({"message":"p"})"},
                  std::move(observer));
  ASSERT_TRUE(done.get_future().get().ok());
  std::lock_guard lock(mutex);
  EXPECT_EQ(fractions, (std::vector<double>{0.5, 1.0}));
}

TEST_F(PluginCall, AsyncModuleCompletesFromItsOwnThread) {
  auto outcome = call("testkit.async_echo", R"({"x":[1,2,3]})");
  ASSERT_TRUE(outcome.ok()) << outcome.error_message;
  EXPECT_EQ(parse(outcome.output_json)["echo"]["x"].Size(), 3u);
}

TEST_F(PluginCall, ManyConcurrentCallsAllComplete) {
  std::vector<std::future<CallOutcome>> futures;
  for (int i = 0; i < 200; ++i) {
    futures.push_back(std::async(std::launch::async, [this, i] {
      return call("apflow.echo_executor", R"({"message":"m)" + std::to_string(i) + R"("})");
    }));
  }
  for (int i = 0; i < 200; ++i) {
    auto outcome = futures[static_cast<size_t>(i)].get();
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(parse(outcome.output_json)["echo"].GetString(), "m" + std::to_string(i));
  }
}

TEST_F(PluginCall, ExecutorMetadataComesFromThePlugin) {
  auto module = registry_.find("apflow.echo_executor");
  ASSERT_NE(module, nullptr);
  EXPECT_EQ(module->owner, "testkit");
  EXPECT_TRUE(module->annotations.readonly);
  EXPECT_TRUE(module->annotations.idempotent);
  EXPECT_TRUE(module->annotations.open_world);  // apcore default kept
  EXPECT_EQ(module->tags, (std::vector<std::string>{"test", "echo"}));
}

}  // namespace
}  // namespace apflow
