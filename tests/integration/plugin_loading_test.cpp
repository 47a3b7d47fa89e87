// `apflow info` against real plugin files: good ones load, each kind of broken one is refused
// with its file and reason, and nothing stops the others.
#include <apflow/abi.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "process.h"

namespace apflow::testing {
namespace {

struct Info {
  ProcessResult process;
  rapidjson::Document json;

  const rapidjson::Value* plugin_from(const std::string& file_name) const {
    for (const auto& p : json["plugins"].GetArray()) {
      const std::string file = p["file"].GetString();
      if (file.ends_with("/" + file_name)) return &p;
    }
    return nullptr;
  }
  bool has_module(const std::string& id) const {
    for (const auto& m : json["modules"].GetArray()) {
      if (id == m["id"].GetString()) return true;
    }
    return false;
  }
};

Info run_info(std::vector<std::string> extra_args, ProcessOptions options = {}) {
  std::vector<std::string> argv = {apflow_binary(), "info", "--json"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  options.unset_env = {"APFLOW_CONFIG", "APFLOW_PLUGIN_PATH", "APFLOW_LOG_LEVEL"};
  if (options.cwd.empty()) options.cwd = "/";
  Info info{run_process(argv, options), {}};
  info.json.Parse(info.process.out.c_str());
  return info;
}

int count_lines_containing(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  int count = 0;
  for (std::string line; std::getline(in, line);) count += line.find(needle) != std::string::npos;
  return count;
}

class PluginLoading : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    info_ = new Info(
        run_info({"--plugin-dir", TEST_GOOD_PLUGINS, "--plugin-dir", TEST_BROKEN_PLUGINS}));
  }
  static void TearDownTestSuite() { delete info_; }
  static Info* info_;
};
Info* PluginLoading::info_ = nullptr;

TEST_F(PluginLoading, GoodPluginLoadsBesideBrokenOnes) {
  ASSERT_EQ(info_->process.exit_code, 0) << info_->process.err;
  ASSERT_FALSE(info_->json.HasParseError()) << info_->process.out;
  const auto* testkit = info_->plugin_from("testkit_plugin.so");
  ASSERT_NE(testkit, nullptr);
  EXPECT_STREQ((*testkit)["status"].GetString(), "loaded");
  EXPECT_STREQ((*testkit)["version"].GetString(), "0.0.1");
  EXPECT_EQ(std::string((*testkit)["abi"].GetString()),
            std::to_string(APFLOW_ABI_MAJOR) + "." + std::to_string(APFLOW_ABI_MINOR));
  EXPECT_STREQ((*testkit)["config_schema"]["properties"]["prefix"]["type"].GetString(), "string");
  EXPECT_TRUE(info_->has_module("apflow.echo_executor"));
  EXPECT_TRUE(info_->has_module("testkit.sleep"));
}

void expect_refused(const Info& info, const std::string& file, const std::string& reason_part) {
  const auto* plugin = info.plugin_from(file);
  ASSERT_NE(plugin, nullptr) << file << " is not listed";
  EXPECT_STREQ((*plugin)["status"].GetString(), "failed") << file;
  ASSERT_TRUE((*plugin)["reason"].IsString()) << file;
  EXPECT_NE(std::string((*plugin)["reason"].GetString()).find(reason_part), std::string::npos)
      << file << ": " << (*plugin)["reason"].GetString();
  // One clear line on stderr naming the file and the reason.
  EXPECT_EQ(count_lines_containing(info.process.err, file), 1) << info.process.err;
  EXPECT_EQ(count_lines_containing(info.process.err, reason_part), 1) << info.process.err;
}

TEST_F(PluginLoading, FileThatIsNotALibraryIsRefused) {
  expect_refused(*info_, "not_a_library.so", "not a loadable shared library");
}

TEST_F(PluginLoading, LibraryWithoutEntryPointIsRefused) {
  expect_refused(*info_, "no_entry.so", "no entry point apflow_plugin_entry");
}

TEST_F(PluginLoading, PluginForAnotherAbiMajorIsRefusedNamingBothVersions) {
  expect_refused(*info_, "wrong_abi.so",
                 "built for plugin ABI v2.0, but this apflow speaks ABI v1.");
}

TEST_F(PluginLoading, PluginTableSmallerThanV1IsRefused) {
  expect_refused(*info_, "small_table.so", "smaller than ABI v1's");
}

TEST_F(PluginLoading, DuplicateModuleIdFailsThatPluginAndRollsItBack) {
  expect_refused(*info_, "duplicate_module.so",
                 "'apflow.echo_executor' is already registered by 'testkit'");
  EXPECT_FALSE(info_->has_module("dupe.first"));
}

TEST_F(PluginLoading, DuplicatePluginIdIsRefused) {
  expect_refused(*info_, "zz_same_plugin_id.so", "plugin id 'testkit' is already taken");
}

TEST_F(PluginLoading, TextOutputListsPluginsAndModules) {
  const auto text = run_process({apflow_binary(), "info", "--plugin-dir", TEST_GOOD_PLUGINS,
                                 "--plugin-dir", TEST_BROKEN_PLUGINS},
                                {.unset_env = {"APFLOW_CONFIG", "APFLOW_PLUGIN_PATH"}, .cwd = "/"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("testkit"), std::string::npos);
  EXPECT_NE(text.out.find("apflow.echo_executor"), std::string::npos);
  EXPECT_NE(text.out.find("Returns its input under 'echo'."), std::string::npos);
  EXPECT_NE(text.out.find("reason: no entry point"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("testkit-call"), std::string::npos) << text.out;
}

TEST(PluginDirectories, EnvironmentVariableAddsADirectory) {
  ProcessOptions options;
  options.env["APFLOW_PLUGIN_PATH"] = std::string("/nonexistent:") + TEST_GOOD_PLUGINS;
  options.cwd = "/";
  auto result = run_process({apflow_binary(), "info", "--json"}, options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("apflow.echo_executor"), std::string::npos);
  EXPECT_NE(result.err.find("/nonexistent does not exist"), std::string::npos) << result.err;
}

TEST(PluginDirectories, ConfigDisablesAPlugin) {
  const std::string dir = (std::filesystem::path(::testing::TempDir()) / "disable_test").string();
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir + "/apflow.yaml")
        << "plugins:\n  disabled: [testkit]\n  paths: [" << TEST_GOOD_PLUGINS << "]\n";
  }
  auto info = run_info({}, {.cwd = dir});
  ASSERT_EQ(info.process.exit_code, 0) << info.process.err;
  const auto* testkit = info.plugin_from("testkit_plugin.so");
  ASSERT_NE(testkit, nullptr);
  EXPECT_STREQ((*testkit)["status"].GetString(), "disabled");
  EXPECT_FALSE(info.has_module("apflow.echo_executor"));
  EXPECT_EQ(std::string(info.json["config_file"].GetString()), dir + "/apflow.yaml");
}

}  // namespace
}  // namespace apflow::testing
