// command_executor through the real host: the allow-list, argv without a shell, environment,
// working directory, stdin, timeouts killing the process group, output limits, exit codes.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <future>
#include <thread>

#include "executor_host.h"

namespace apflow::testing {
namespace {

constexpr const char* kEnabled = R"(plugins:
  command:
    enabled: true
    allowed_programs: [sh, printf, /bin/echo, pwd]
    max_output_bytes: 1000
)";

class CommandExecutor : public ::testing::Test {
 protected:
  ExecutorHost& host(const std::string& yaml = kEnabled) {
    host_ = std::make_unique<ExecutorHost>(dir_, yaml);
    return *host_;
  }
  registry::CallOutcome run(const std::string& input) {
    return host().call("apflow.command_executor", input);
  }
  std::filesystem::path dir_ = test_dir("command");
  std::unique_ptr<ExecutorHost> host_;
};

TEST_F(CommandExecutor, DisabledByDefaultWithTheKeyToSet) {
  auto outcome = host("{}\n").call("apflow.command_executor", R"({"command":["printf","x"]})");
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error_code, "COMMAND_NOT_ALLOWED");
  EXPECT_NE(outcome.error_message.find("'printf'"), std::string::npos) << outcome.error_message;
  EXPECT_NE(outcome.error_message.find("plugins.command.enabled"), std::string::npos);
}

TEST_F(CommandExecutor, ProgramOffTheAllowListIsRefusedByName) {
  auto outcome = run(R"({"command":["ls","/"]})");
  EXPECT_EQ(outcome.error_code, "COMMAND_NOT_ALLOWED");
  EXPECT_NE(outcome.error_message.find("'ls'"), std::string::npos) << outcome.error_message;
  EXPECT_NE(outcome.error_message.find("plugins.command.allowed_programs"), std::string::npos);
}

TEST_F(CommandExecutor, AnAllowedNameDoesNotAllowAnotherFileOfThatName) {
  const auto fake = dir_ / "printf";
  std::ofstream(fake) << "#!/bin/sh\necho fake\n";
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  auto outcome = run(R"({"command":[)" + quoted(fake.string()) + "]}");
  EXPECT_EQ(outcome.error_code, "COMMAND_NOT_ALLOWED") << outcome.output_json;
}

TEST_F(CommandExecutor, ArgumentsReachTheProgramVerbatimWithoutAShell) {
  auto outcome = run(R"({"command":["printf","%s|","a b","$HOME","*",";echo no"]})");
  ASSERT_TRUE(outcome.ok()) << outcome.error_message;
  auto out = parse(outcome.output_json);
  EXPECT_STREQ(out["stdout"].GetString(), "a b|$HOME|*|;echo no|");
  EXPECT_EQ(out["exit_code"].GetInt(), 0);
  EXPECT_TRUE(out["success"].GetBool());
}

TEST_F(CommandExecutor, AbsoluteAllowedPathRuns) {
  auto outcome = run(R"({"command":["/bin/echo","hi"]})");
  ASSERT_TRUE(outcome.ok()) << outcome.error_message;
  EXPECT_STREQ(parse(outcome.output_json)["stdout"].GetString(), "hi\n");
}

TEST_F(CommandExecutor, EnvironmentIsGivenAndHostSecretsStayOut) {
  setenv("APFLOW_TEST_SECRET", "s3cret", 1);
  auto outcome = run(
      R"({"command":["sh","-c","echo $GREETING-$APFLOW_TEST_SECRET"],"env":{"GREETING":"hey"}})");
  unsetenv("APFLOW_TEST_SECRET");
  ASSERT_TRUE(outcome.ok()) << outcome.error_message;
  EXPECT_STREQ(parse(outcome.output_json)["stdout"].GetString(), "hey-\n");
}

TEST_F(CommandExecutor, WorkingDirectoryIsUsedAndAMissingOneIsNamed) {
  auto outcome = run(R"({"command":["pwd"],"cwd":)" + quoted(dir_.string()) + "}");
  ASSERT_TRUE(outcome.ok()) << outcome.error_message;
  EXPECT_EQ(parse(outcome.output_json)["stdout"].GetString(),
            std::filesystem::canonical(dir_).string() + "\n");
  auto missing = host_->call("apflow.command_executor", R"({"command":["pwd"],"cwd":"/no/such"})");
  EXPECT_EQ(missing.error_code, "GENERAL_INVALID_INPUT");
  EXPECT_NE(missing.error_message.find("/no/such"), std::string::npos);
}

TEST_F(CommandExecutor, StdinIsFedToTheProgram) {
  auto outcome = run(R"({"command":["sh","-c","read line; echo got:$line"],"stdin":"abc\n"})");
  ASSERT_TRUE(outcome.ok()) << outcome.error_message;
  EXPECT_STREQ(parse(outcome.output_json)["stdout"].GetString(), "got:abc\n");
}

TEST_F(CommandExecutor, NonZeroExitIsAResultUnlessCheckIsSet) {
  auto outcome = run(R"({"command":["sh","-c","echo bad >&2; exit 3"]})");
  ASSERT_TRUE(outcome.ok()) << outcome.error_message;
  auto out = parse(outcome.output_json);
  EXPECT_EQ(out["exit_code"].GetInt(), 3);
  EXPECT_FALSE(out["success"].GetBool());
  EXPECT_STREQ(out["stderr"].GetString(), "bad\n");
  auto checked = host_->call("apflow.command_executor",
                             R"({"command":["sh","-c","echo bad >&2; exit 3"],"check":true})");
  EXPECT_EQ(checked.error_code, "COMMAND_FAILED");
  EXPECT_NE(checked.error_message.find("exited with code 3: bad"), std::string::npos)
      << checked.error_message;
}

TEST_F(CommandExecutor, TimeoutKillsTheWholeProcessGroup) {
  const auto marker = dir_ / "grandchild_survived";
  // The grandchild would write the marker after 2 s if the group were not killed.
  const std::string script = "(sleep 2; touch " + marker.string() + ") & sleep 30";
  const auto start = std::chrono::steady_clock::now();
  auto outcome = run(R"({"command":["sh","-c",)" + quoted(script) + R"(],"timeout":0.3})");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(outcome.error_code, "COMMAND_TIMEOUT");
  EXPECT_NE(outcome.error_message.find("process group was killed"), std::string::npos);
  EXPECT_LT(took, std::chrono::seconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST_F(CommandExecutor, OutputOverTheLimitIsCutAndFlagged) {
  auto outcome = run(R"({"command":["sh","-c","head -c 5000 /dev/zero | tr '\\0' x"]})");
  ASSERT_TRUE(outcome.ok()) << outcome.error_message;
  auto out = parse(outcome.output_json);
  EXPECT_EQ(out["stdout"].GetStringLength(), 1000u);  // plugins.command.max_output_bytes
  EXPECT_TRUE(out["stdout_truncated"].GetBool());
  EXPECT_EQ(out["exit_code"].GetInt(), 0);
  auto smaller = host_->call("apflow.command_executor",
                             R"({"command":["printf","abcdef"],"max_output_bytes":3})");
  EXPECT_STREQ(parse(smaller.output_json)["stdout"].GetString(), "abc");
}

TEST_F(CommandExecutor, ATimeoutAboveTheConfiguredMaximumIsRefused) {
  auto outcome = run(R"({"command":["printf","x"],"timeout":99999})");
  EXPECT_EQ(outcome.error_code, "GENERAL_INVALID_INPUT");
  EXPECT_NE(outcome.error_message.find("plugins.command.max_timeout"), std::string::npos);
}

TEST_F(CommandExecutor, CancellationStopsTheProgram) {
  host();
  std::promise<registry::CallOutcome> done;
  registry::CallObserver observer;
  observer.on_done = [&done](const registry::CallOutcome& o) { done.set_value(o); };
  auto running = host_->pipeline().start({.module_id = "apflow.command_executor",
                                          .input_json = R"({"command":["sh","-c","sleep 30"]})"},
                                         std::move(observer));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  running->cancel();
  auto future = done.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(future.get().error_code, "EXECUTION_CANCELLED");
}

}  // namespace
}  // namespace apflow::testing
