// APFLOW_<SECTION>__<KEY> environment overrides.
#include "config_test_support.h"

namespace apflow::config {
namespace {

using testing::environment_in;
using testing::error_of;
using testing::load_yaml;
using testing::TempDir;

class Overrides : public ::testing::Test {
 protected:
  Config load(const std::string& yaml = "") { return load_yaml(dir_, yaml, env_); }
  std::string load_error(const std::string& yaml = "") {
    return error_of([&] { load(yaml); }, codes::kConfigInvalid);
  }

  TempDir dir_;
  Environment env_ = environment_in(dir_);
};

TEST_F(Overrides, IntegerBeatsTheFile) {
  env_.vars["APFLOW_MODULES__DEFAULT_TIMEOUT_MS"] = "5000";
  auto config = load("modules:\n  default_timeout_ms: 100\n");
  EXPECT_EQ(config.default_timeout_ms(), 5000);
  EXPECT_EQ(config.location_of("/modules/default_timeout_ms"),
            "environment variable APFLOW_MODULES__DEFAULT_TIMEOUT_MS");
  EXPECT_EQ(config.location_of("/log/level"), "default");
}

TEST_F(Overrides, FlowSequenceBecomesAList) {
  env_.vars["APFLOW_PLUGINS__DISABLED"] = "[mcp, a2a]";
  auto config = load();
  EXPECT_EQ(config.disabled_plugins(), (std::vector<std::string>{"mcp", "a2a"}));
}

TEST_F(Overrides, NestedPluginSection) {
  env_.vars["APFLOW_PLUGINS__HELLO__GREETING"] = "hi";
  env_.vars["APFLOW_PLUGINS__HELLO__TIMES"] = "3";
  auto config = load("plugins:\n  hello:\n    greeting: hello\n    loud: true\n");
  EXPECT_EQ(config.plugin_section_json("hello"), R"({"greeting":"hi","loud":true,"times":3})");
  EXPECT_EQ(config.plugin_section_ids(), std::vector<std::string>{"hello"});
  EXPECT_EQ(config.location_of("/plugins/hello/times"),
            "environment variable APFLOW_PLUGINS__HELLO__TIMES");
}

TEST_F(Overrides, CreatesMissingSections) {
  env_.vars["APFLOW_PLUGINS__MY_PLUGIN__URL"] = "http://x";
  auto config = load();
  EXPECT_EQ(config.plugin_section_json("my_plugin"), R"({"url":"http://x"})");
}

TEST_F(Overrides, UnknownKeyNamesTheVariable) {
  env_.vars["APFLOW_LOG__LEVLE"] = "debug";
  EXPECT_EQ(load_error(),
            "environment variable APFLOW_LOG__LEVLE: unknown key 'log.levle' (allowed here: "
            "level)");
}

TEST_F(Overrides, UnknownSectionNamesTheVariable) {
  env_.vars["APFLOW_ENGIN__MAX_PARALLEL"] = "4";
  EXPECT_EQ(load_error(),
            "environment variable APFLOW_ENGIN__MAX_PARALLEL: unknown key 'engin' (allowed "
            "here: log, plugins, modules, engine, durability, storage)");
}

TEST_F(Overrides, WrongTypeNamesTheVariable) {
  env_.vars["APFLOW_MODULES__DEFAULT_TIMEOUT_MS"] = "fast";
  EXPECT_EQ(load_error(),
            "environment variable APFLOW_MODULES__DEFAULT_TIMEOUT_MS: "
            "'modules.default_timeout_ms': expected integer, got string \"fast\"");
}

TEST_F(Overrides, KeyBelowAScalar) {
  env_.vars["APFLOW_LOG__LEVEL__X"] = "1";
  EXPECT_EQ(load_error(),
            "environment variable APFLOW_LOG__LEVEL__X: 'log.level' is a string, so it has no "
            "key 'x'");
}

TEST_F(Overrides, OnlyDoubleUnderscoreVariablesAreOverrides) {
  env_.vars["APFLOW_LOG_LEVEL"] = "nonsense";
  env_.vars["APFLOW_PLUGIN_PATH"] = "/x:/y";
  env_.vars["APFLOW_CONFIG"] = "";
  env_.vars["OTHER__KEY"] = "1";
  auto config = load();
  EXPECT_EQ(config.log_level(), "info");
  EXPECT_TRUE(config.plugin_paths().empty());
}

TEST_F(Overrides, EmptyValueKeepsTheLowerLayer) {
  env_.vars["APFLOW_LOG__LEVEL"] = "";
  EXPECT_EQ(load("log:\n  level: warn\n").log_level(), "warn");
}

TEST_F(Overrides, EmptyKeyNameIsAnError) {
  env_.vars["APFLOW_LOG____LEVEL"] = "debug";
  EXPECT_EQ(load_error(),
            "environment variable APFLOW_LOG____LEVEL: empty key name between '__' separators");
}

}  // namespace
}  // namespace apflow::config
