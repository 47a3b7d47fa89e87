// The call pipeline with host-side invokers (pure logic; plugins are covered by integration).
#include "registry/call_pipeline.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

namespace apflow::registry {
namespace {

class Pipeline : public ::testing::Test {
 protected:
  void add(std::string id, Invoker invoke, std::string input_schema = "{}",
           std::string output_schema = "{}", bool runs_inline = false) {
    ModuleRecord r;
    r.annotations.runs_inline = runs_inline;
    r.id = std::move(id);
    r.description = "test module";
    r.owner = "test";
    r.input_schema = schema::Schema::compile(input_schema);
    r.output_schema = schema::Schema::compile(output_schema);
    r.invoke = std::move(invoke);
    registry_.add(std::move(r));
  }
  static void succeed(ModuleCall& call, std::string_view json) {
    call.abi()->complete(call.abi(), APFLOW_OK, json.data(), json.size(), nullptr);
  }

  Registry registry_;
  CallPipeline pipeline_{registry_, 2000, 2};
};

TEST_F(Pipeline, PassesValidatedInputAndReturnsOutput) {
  add(
      "t.echo", [](ModuleCall& call, std::string_view input) { succeed(call, input); },
      R"({"type":"object","properties":{"n":{"type":"integer"}}})");
  auto outcome = pipeline_.call({.module_id = "t.echo", .input_json = R"({"n":3})"});
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome.output_json, R"({"n":3})");
}

TEST_F(Pipeline, AnInlineModuleRunsOnTheCallersThreadOnlyWhenTheCallerAllowsIt) {
  std::thread::id ran_on;
  auto record_thread = [&ran_on](ModuleCall& call, std::string_view) {
    ran_on = std::this_thread::get_id();
    succeed(call, "{}");
  };
  add("t.instant", record_thread, "{}", "{}", true);
  add("t.ordinary", record_thread);
  auto start = [&](const char* id, bool allow) {
    std::promise<CallOutcome> done;
    CallObserver observer;
    observer.on_done = [&done](const CallOutcome& o) { done.set_value(o); };
    CallRequest request{.module_id = id, .input_json = "{}"};
    request.allow_inline = allow;
    pipeline_.start(std::move(request), std::move(observer));
    EXPECT_TRUE(done.get_future().get().ok());
    return ran_on;
  };
  EXPECT_EQ(start("t.instant", true), std::this_thread::get_id());
  EXPECT_NE(start("t.instant", false), std::this_thread::get_id());
  EXPECT_NE(start("t.ordinary", true), std::this_thread::get_id());
  // Inline or not, the input is checked against the schema first.
  add("t.strict", record_thread, R"({"type":"object","required":["n"]})", "{}", true);
  CallRequest bad{.module_id = "t.strict", .input_json = "{}"};
  bad.allow_inline = true;
  std::promise<CallOutcome> refused;
  CallObserver observer;
  observer.on_done = [&refused](const CallOutcome& o) { refused.set_value(o); };
  pipeline_.start(std::move(bad), std::move(observer));
  EXPECT_EQ(refused.get_future().get().error_code, "SCHEMA_VALIDATION_ERROR");
}

TEST_F(Pipeline, CallIdentityReachesTheModule) {
  std::string seen;
  add("t.who", [&seen](ModuleCall& call, std::string_view) {
    seen = std::string(call.abi()->module_id) + "|" + call.abi()->task_id + "|" +
           std::to_string(call.abi()->attempt) + "|" + (call.abi()->deadline_ms > 0 ? "dl" : "");
    succeed(call, "{}");
  });
  CallRequest request{.module_id = "t.who", .input_json = "{}"};
  request.identity.task_id = "task-1";
  request.identity.attempt = 2;
  ASSERT_TRUE(pipeline_.call(std::move(request)).ok());
  EXPECT_EQ(seen, "t.who|task-1|2|dl");
}

TEST_F(Pipeline, InvokerThatThrowsBecomesAnExecuteError) {
  add("t.throw", [](ModuleCall&, std::string_view) -> void { throw std::runtime_error("nope"); });
  auto outcome = pipeline_.call({.module_id = "t.throw", .input_json = "{}"});
  EXPECT_EQ(outcome.error_code, "MODULE_EXECUTE_ERROR");
  EXPECT_EQ(outcome.error_message, "nope");
}

TEST_F(Pipeline, CompletionWithoutErrorObjectIsExplained) {
  add("t.silent", [](ModuleCall& call, std::string_view) {
    call.abi()->complete(call.abi(), APFLOW_ERROR, nullptr, 0, nullptr);
  });
  auto outcome = pipeline_.call({.module_id = "t.silent", .input_json = "{}"});
  EXPECT_EQ(outcome.error_code, "MODULE_EXECUTE_ERROR");
  EXPECT_NE(outcome.error_message.find("without saying why"), std::string::npos);
}

TEST_F(Pipeline, NonObjectOutputIsRefused) {
  add("t.array", [](ModuleCall& call, std::string_view) { succeed(call, "[1]"); });
  auto outcome = pipeline_.call({.module_id = "t.array", .input_json = "{}"});
  EXPECT_EQ(outcome.error_code, "MODULE_EXECUTE_ERROR");
  EXPECT_NE(outcome.error_message.find("not a JSON object"), std::string::npos);
}

TEST_F(Pipeline, LateCompletionAfterTimeoutIsAbsorbed) {
  std::promise<ModuleCall*> started;
  std::shared_ptr<ModuleCall> keep;
  add("t.late", [&started](ModuleCall& call, std::string_view) { started.set_value(&call); });
  std::promise<CallOutcome> done;
  int deliveries = 0;
  CallObserver observer;
  observer.on_done = [&](const CallOutcome& o) {
    ++deliveries;
    done.set_value(o);
  };
  keep = pipeline_.start({.module_id = "t.late", .input_json = "{}", .timeout_ms = 30},
                         std::move(observer));
  ModuleCall* call = started.get_future().get();
  auto outcome = done.get_future().get();
  EXPECT_EQ(outcome.error_code, "MODULE_TIMEOUT");
  // The outcome is delivered first, then the module is told to stop (so a module that reacts at
  // once cannot turn the timeout into a cancellation): the flag follows shortly.
  for (int i = 0; i < 200 && !call->abi()->is_cancelled(call->abi()); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(call->abi()->is_cancelled(call->abi()));
  succeed(*call, "{}");  // the module finishes after all: nothing more is delivered
  EXPECT_EQ(deliveries, 1);
}

TEST_F(Pipeline, AnInlineModuleThatReturnsUnfinishedStillHasItsDeadline) {
  std::promise<ModuleCall*> started;
  add(
      "t.pending", [&started](ModuleCall& call, std::string_view) { started.set_value(&call); },
      "{}", "{}", true);
  std::promise<CallOutcome> done;
  CallObserver observer;
  observer.on_done = [&done](const CallOutcome& o) { done.set_value(o); };
  CallRequest request{.module_id = "t.pending", .input_json = "{}", .timeout_ms = 30};
  request.allow_inline = true;
  auto keep = pipeline_.start(std::move(request), std::move(observer));
  ModuleCall* call = started.get_future().get();
  EXPECT_EQ(done.get_future().get().error_code, "MODULE_TIMEOUT");
  succeed(*call, "{}");  // absorbed
}

TEST_F(Pipeline, AHostModuleTakesTheParsedInputAndItsOutputDocumentIsChecked) {
  auto echo_n = [](ModuleCall& call, std::string_view input_json) {
    rapidjson::Document input = call.take_input(input_json);
    rapidjson::Document output(rapidjson::kObjectType);
    output.AddMember("n", rapidjson::Value(input["n"], output.GetAllocator()),
                     output.GetAllocator());
    call.complete_output(output, R"({"n":)" + std::to_string(input["n"].GetInt()) + "}");
  };
  const char* schema =
      R"({"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]})";
  add("t.host", echo_n, schema, schema);
  auto outcome = pipeline_.call({.module_id = "t.host", .input_json = R"({"n":7})"});
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome.output_json, R"({"n":7})");
  add("t.host_bad", echo_n, schema, R"({"type":"object","required":["m"]})");
  outcome = pipeline_.call({.module_id = "t.host_bad", .input_json = R"({"n":7})"});
  EXPECT_EQ(outcome.error_code, "SCHEMA_VALIDATION_ERROR");
  EXPECT_NE(outcome.error_message.find("does not match its output schema"), std::string::npos);
}

TEST_F(Pipeline, RetryableFollowsApcoreRules) {
  add("t.fail_idempotent", [](ModuleCall& call, std::string_view) {
    call.abi()->complete(call.abi(), APFLOW_ERROR, nullptr, 0, nullptr);
  });
  auto outcome = pipeline_.call({.module_id = "t.fail_idempotent", .input_json = "{}"});
  EXPECT_FALSE(outcome.retryable);  // MODULE_EXECUTE_ERROR of a non-idempotent module
  EXPECT_TRUE(CallOutcome::failure(APFLOW_ERROR, "GENERAL_INTERNAL_ERROR", "x").retryable);
  EXPECT_FALSE(CallOutcome::failure(APFLOW_ERROR, "SCHEMA_VALIDATION_ERROR", "x").retryable);
}

TEST_F(Pipeline, ErrorJsonIsTheApcoreErrorShape) {
  auto outcome = CallOutcome::failure(APFLOW_ERROR, "SCHEMA_VALIDATION_ERROR", "bad \"x\"",
                                      R"({"errors":[]})");
  EXPECT_EQ(
      outcome.error_json(),
      R"({"code":"SCHEMA_VALIDATION_ERROR","message":"bad \"x\"","details":{"errors":[]},"retryable":false})");
}

}  // namespace
}  // namespace apflow::registry
