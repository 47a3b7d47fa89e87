// Configuration as a user meets it through the `apflow` binary: errors stop the process before
// anything runs and name file:line and the key; valid sections reach their plugin.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "process.h"

namespace apflow::testing {
namespace {

class ConfigCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::path(::testing::TempDir()) /
            (std::string("config_cli_") +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void write_config(const std::string& text) { std::ofstream(dir_ + "/apflow.yaml") << text; }
  ProcessResult apflow(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), apflow_binary());
    return run_process(
        args,
        {.env = std::move(env), .unset_env = {"APFLOW_CONFIG", "APFLOW_PLUGIN_PATH"}, .cwd = dir_});
  }
  std::string dir_;
};

TEST_F(ConfigCli, YamlSyntaxErrorStopsWithFileAndLine) {
  write_config("log:\n  level: info\nplugins: [unclosed\n");
  auto result = apflow({"info"});
  EXPECT_EQ(result.exit_code, 47);
  EXPECT_NE(result.err.find("apflow.yaml:"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty()) << "nothing may run: " << result.out;
}

TEST_F(ConfigCli, UnknownKeyStopsNamingLineAndKey) {
  write_config("log:\n  level: info\n  colour: blue\n");
  auto result = apflow({"info"});
  EXPECT_EQ(result.exit_code, 47);
  EXPECT_NE(result.err.find("apflow.yaml:3"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("log.colour"), std::string::npos) << result.err;
}

TEST_F(ConfigCli, InfoShowsTheDurabilitySettingsInForce) {
  write_config(
      "durability:\n  backoff_strategy: linear\n  breaker_open: fail\n  max_attempts: 5\n");
  auto result = apflow({"info"}, {{"APFLOW_DURABILITY__BREAKER_FAILURE_THRESHOLD", "7"}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("retries   linear backoff, 1000 ms to 300000 ms, jitter; attempts "
                            "per task: max_attempts (default 5)"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("breakers  open after 7 failures in a row, probe after 60000 ms, "
                            "while open: fail"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("open now  none in this process"), std::string::npos) << result.out;
}

TEST_F(ConfigCli, WrongTypeStopsNamingLineAndKey) {
  write_config("modules:\n  default_timeout_ms: soon\n");
  auto result = apflow({"config", "check"});
  EXPECT_EQ(result.exit_code, 47);
  EXPECT_NE(result.err.find("apflow.yaml:2"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("modules.default_timeout_ms"), std::string::npos) << result.err;
}

TEST_F(ConfigCli, PluginSectionIsValidatedAgainstThePluginsSchema) {
  write_config(std::string("plugins:\n  paths: [") + TEST_GOOD_PLUGINS +
               "]\n  testkit:\n    prefix: 5\n");
  auto result = apflow({"config", "check"});
  EXPECT_EQ(result.exit_code, 47);
  EXPECT_NE(result.err.find("apflow.yaml:4"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("plugins.testkit.prefix"), std::string::npos) << result.err;
}

TEST_F(ConfigCli, SectionForAMissingPluginIsAnError) {
  write_config("plugins:\n  nosuch:\n    x: 1\n");
  auto result = apflow({"config", "check"});
  EXPECT_EQ(result.exit_code, 47);
  EXPECT_NE(result.err.find("plugins.nosuch"), std::string::npos) << result.err;
}

TEST_F(ConfigCli, ValidConfigPassesTheCheck) {
  write_config(std::string("plugins:\n  paths: [") + TEST_GOOD_PLUGINS +
               "]\n  testkit:\n    prefix: 'hey '\n");
  auto result = apflow({"config", "check"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("configuration is valid"), std::string::npos);
  EXPECT_NE(result.out.find(dir_ + "/apflow.yaml"), std::string::npos);
}

TEST_F(ConfigCli, PluginSectionAndEnvironmentOverrideReachThePlugin) {
  write_config(std::string("plugins:\n  paths: [") + TEST_GOOD_PLUGINS +
               "]\n  testkit:\n    prefix: 'file '\n");
  auto from_file = apflow({"testkit-call", "apflow.echo_executor", R"({"message":"hi"})"});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_NE(from_file.out.find(R"("echo":"file hi")"), std::string::npos) << from_file.out;

  auto from_env = apflow({"testkit-call", "apflow.echo_executor", R"({"message":"hi"})"},
                         {{"APFLOW_PLUGINS__TESTKIT__PREFIX", "env"}});
  ASSERT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_NE(from_env.out.find(R"("echo":"envhi")"), std::string::npos) << from_env.out;
}

TEST_F(ConfigCli, ProtocolCommandCallsModulesThroughTheHost) {
  auto bad = apflow({"--plugin-dir", TEST_GOOD_PLUGINS, "testkit-call", "apflow.echo_executor",
                     R"({"message":7})"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("SCHEMA_VALIDATION_ERROR"), std::string::npos) << bad.out;
}

TEST_F(ConfigCli, ExplicitConfigThatDoesNotExistIsAnError) {
  auto result = apflow({"--config", dir_ + "/missing.yaml", "info"});
  EXPECT_EQ(result.exit_code, 47);
  EXPECT_NE(result.err.find("missing.yaml"), std::string::npos) << result.err;
}

TEST_F(ConfigCli, VersionNeedsNothingElse) {
  write_config("this is: [not valid\n");
  auto result = apflow({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out.rfind("apflow ", 0), 0u) << result.out;
}

}  // namespace
}  // namespace apflow::testing
