// `apflow <group> <command>`: modules as commands, driven through the built binary with the
// testkit plugin's modules (apflow.echo_executor, testkit.sleep, testkit.fail, ...).
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>

#include <string>
#include <vector>

#include "process.h"

namespace {

using apflow::testing::ProcessOptions;
using apflow::testing::ProcessResult;

ProcessResult apflow_cli(std::vector<std::string> args, ProcessOptions options = {}) {
  std::vector<std::string> argv = {apflow::testing::apflow_binary(), "--plugin-dir",
                                   TEST_GOOD_PLUGINS};
  argv.insert(argv.end(), args.begin(), args.end());
  options.unset_env.push_back("APFLOW_CONFIG");
  // These modules need no task store; keep the user's database out of the tests.
  options.env["APFLOW_DATABASE_URL"] = ":memory:";
  return apflow::testing::run_process(argv, options);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A failed command: its exit code, and a part of the one error line it printed on stderr.
void expect_failure(const ProcessResult& result, int exit_code, const std::string& error) {
  EXPECT_EQ(result.exit_code, exit_code) << result.err;
  EXPECT_TRUE(contains(result.err, error)) << result.err;
}

TEST(CliModuleCommands, JsonFormatPrintsExactlyTheModuleOutput) {
  const auto result = apflow_cli({"echo-executor", "--message", "hi", "--format", "json"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "{\n  \"echo\": \"hi\",\n  \"prefix\": \"\"\n}\n");
}

TEST(CliModuleCommands, OutputIsJsonWhenStdoutIsNotATerminal) {
  const auto result = apflow_cli({"echo-executor", "--message", "piped"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  rapidjson::Document output;
  output.Parse(result.out.c_str());
  ASSERT_FALSE(output.HasParseError()) << result.out;
  EXPECT_STREQ(output["echo"].GetString(), "piped");
}

TEST(CliModuleCommands, TableFormatPrintsKeyValueRows) {
  const auto result =
      apflow_cli({"echo-executor", "--message", "hello there", "--format", "table"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "Key")) << result.out;
  EXPECT_TRUE(contains(result.out, "Value")) << result.out;
  EXPECT_TRUE(contains(result.out, "echo    hello there\n")) << result.out;
}

TEST(CliModuleCommands, NonIntegerForAnIntegerFlagIsAUsageError) {
  const auto result = apflow_cli({"echo-executor", "--message", "hi", "--count", "x"});
  expect_failure(result, 2, "error: GENERAL_INVALID_INPUT: --count expects an integer");
  EXPECT_TRUE(result.out.empty());
}

TEST(CliModuleCommands, MissingRequiredPropertyIsASchemaError) {
  const auto result = apflow_cli({"echo-executor", "--count", "2"});
  expect_failure(result, 45, "error: SCHEMA_VALIDATION_ERROR: ");
  EXPECT_TRUE(contains(result.err, "missing required property 'message'")) << result.err;
  EXPECT_TRUE(contains(result.err, "(field: /message)")) << result.err;
}

TEST(CliModuleCommands, StdinInputIsMergedWithFlagsAndFlagsWin) {
  ProcessOptions options;
  options.stdin_text = R"({"message": "from stdin", "count": 3})";
  auto result = apflow_cli({"echo-executor", "--input", "-", "--format", "json"}, options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "\"echo\": \"from stdin\"")) << result.out;

  result = apflow_cli({"echo-executor", "--input", "-", "--message", "flag"}, options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "\"echo\": \"flag\"")) << result.out;
}

TEST(CliModuleCommands, StdinThatIsNotAJsonObjectIsAUsageError) {
  ProcessOptions options;
  options.stdin_text = "[1, 2]";
  const auto result = apflow_cli({"echo-executor", "--input", "-"}, options);
  expect_failure(result, 2, "stdin must hold a JSON object");
}

TEST(CliModuleCommands, GroupHelpListsItsCommands) {
  const auto result = apflow_cli({"testkit", "--help"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  for (const char* command : {"sleep", "fail", "async-echo", "bad-output"}) {
    EXPECT_TRUE(contains(result.out, command)) << command << " missing from\n" << result.out;
  }
}

TEST(CliModuleCommands, CommandHelpShowsItsFlags) {
  const auto result = apflow_cli({"echo-executor", "--help"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "--message")) << result.out;
  EXPECT_TRUE(contains(result.out, "[required]")) << result.out;
  EXPECT_TRUE(contains(result.out, "--count INT")) << result.out;
  EXPECT_TRUE(contains(result.out, "--input")) << result.out;
}

TEST(CliModuleCommands, UnknownCommandsExit44AndSayWhatExists) {
  auto result = apflow_cli({"testkit", "nope"});
  expect_failure(result, 44, "error: MODULE_NOT_FOUND: group 'testkit' has no command");
  EXPECT_TRUE(contains(result.err, "sleep")) << result.err;

  result = apflow_cli({"no-such-group", "x"});
  expect_failure(result, 44, "groups: ");
  EXPECT_TRUE(contains(result.err, "testkit")) << result.err;
}

TEST(CliModuleCommands, UnknownFlagIsAUsageError) {
  const auto result = apflow_cli({"testkit", "sleep", "--ms", "1", "--bogus", "1"});
  expect_failure(result, 2, "error: GENERAL_INVALID_INPUT: ");
}

TEST(CliModuleCommands, ModuleErrorExits1WithItsCode) {
  ProcessOptions options;
  options.stdin_text = R"({"code": "TESTKIT_BOOM", "message": "it broke"})";
  const auto result = apflow_cli({"testkit", "fail", "--input", "-"}, options);
  expect_failure(result, 1, "error: TESTKIT_BOOM: it broke");
  EXPECT_TRUE(result.out.empty()) << result.out;
}

TEST(CliModuleCommands, TimeoutFlagOverridesTheDeadline) {
  const auto result = apflow_cli({"testkit", "sleep", "--ms", "20000", "--timeout", "100"});
  expect_failure(result, 1, "error: MODULE_TIMEOUT: ");
}

TEST(CliModuleCommands, CtrlCCancelsTheCallAndExits130) {
  ProcessOptions options;
  options.signal_number = SIGINT;
  // The plugin logs this at debug level just before it starts the call.
  options.signal_after_output = "calling testkit.sleep";
  options.timeout = std::chrono::seconds(15);  // the sleep would take 20 s
  const auto result =
      apflow_cli({"--log-level", "debug", "testkit", "sleep", "--ms", "20000"}, options);
  expect_failure(result, 130, "error: EXECUTION_CANCELLED: ");
}

}  // namespace
