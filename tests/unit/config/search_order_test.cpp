// Where the config file is found, step by step.
#include "config_test_support.h"

namespace apflow::config {
namespace {

using testing::environment_in;
using testing::error_of;
using testing::TempDir;

class SearchOrder : public ::testing::Test {
 protected:
  TempDir dir_;
  LoadOptions options_{std::nullopt, environment_in(dir_)};
};

TEST_F(SearchOrder, NothingFoundMeansDefaults) {
  EXPECT_FALSE(find_config_file(options_));
  auto config = Config::load(options_);
  EXPECT_FALSE(config.file());
  EXPECT_EQ(config.log_level(), "info");
  EXPECT_EQ(config.default_timeout_ms(), 30000);
  EXPECT_TRUE(config.plugin_paths().empty());
  EXPECT_TRUE(config.disabled_plugins().empty());
  EXPECT_TRUE(config.plugin_section_ids().empty());
  EXPECT_EQ(config.location_of("/log/level"), "default");
}

TEST_F(SearchOrder, HomeConfigIsTheLastResort) {
  auto home = dir_.write("home/.config/apflow/apflow.yaml", "log: {level: warn}\n");
  EXPECT_EQ(find_config_file(options_), home);
  EXPECT_EQ(Config::load(options_).log_level(), "warn");
}

TEST_F(SearchOrder, XdgConfigHomeReplacesHome) {
  dir_.write("home/.config/apflow/apflow.yaml", "");
  auto xdg = dir_.write("xdg/apflow/apflow.yaml", "");
  options_.env.vars["XDG_CONFIG_HOME"] = (dir_.path() / "xdg").string();
  EXPECT_EQ(find_config_file(options_), xdg);
  // A relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored.
  options_.env.vars["XDG_CONFIG_HOME"] = "xdg";
  EXPECT_EQ(find_config_file(options_), dir_.path() / "home/.config/apflow/apflow.yaml");
}

TEST_F(SearchOrder, XdgSetWithoutFileDoesNotFallBackToHome) {
  dir_.write("home/.config/apflow/apflow.yaml", "");
  options_.env.vars["XDG_CONFIG_HOME"] = (dir_.path() / "xdg").string();
  EXPECT_FALSE(find_config_file(options_));
}

TEST_F(SearchOrder, WorkingDirectoryBeatsUserConfig) {
  dir_.write("home/.config/apflow/apflow.yaml", "");
  auto local = dir_.write("work/apflow.yaml", "");
  EXPECT_EQ(find_config_file(options_), local);
}

TEST_F(SearchOrder, ApflowConfigBeatsWorkingDirectory) {
  dir_.write("work/apflow.yaml", "");
  auto named = dir_.write("elsewhere/my.yaml", "");
  options_.env.vars["APFLOW_CONFIG"] = named.string();
  EXPECT_EQ(find_config_file(options_), named);
}

TEST_F(SearchOrder, ApflowConfigMustExist) {
  dir_.write("work/apflow.yaml", "");
  options_.env.vars["APFLOW_CONFIG"] = (dir_.path() / "missing.yaml").string();
  auto message = error_of([&] { find_config_file(options_); }, codes::kConfigNotFound);
  EXPECT_NE(message.find("missing.yaml (from APFLOW_CONFIG) does not exist"), std::string::npos)
      << message;
}

TEST_F(SearchOrder, ExplicitPathBeatsEverythingAndIsRelativeToCwd) {
  dir_.write("work/apflow.yaml", "");
  auto named = dir_.write("elsewhere/my.yaml", "");
  options_.env.vars["APFLOW_CONFIG"] = named.string();
  auto explicit_file = dir_.write("work/conf/explicit.yaml", "");
  options_.explicit_path = "conf/explicit.yaml";
  EXPECT_EQ(find_config_file(options_), explicit_file);
  EXPECT_EQ(Config::load(options_).file(), explicit_file);
}

TEST_F(SearchOrder, ExplicitPathMustExist) {
  options_.explicit_path = dir_.path() / "nope.yaml";
  auto message = error_of([&] { Config::load(options_); }, codes::kConfigNotFound);
  EXPECT_NE(message.find("nope.yaml (from --config) does not exist"), std::string::npos);
  options_.explicit_path = dir_.path();
  message = error_of([&] { Config::load(options_); }, codes::kConfigNotFound);
  EXPECT_NE(message.find("is not a regular file"), std::string::npos) << message;
}

TEST(Environment, FromProcessReadsVariablesAndDirectories) {
  setenv("APFLOW_TEST_MARKER", "x=y", 1);
  auto env = Environment::from_process();
  EXPECT_EQ(env.vars["APFLOW_TEST_MARKER"], "x=y");
  EXPECT_EQ(env.cwd, std::filesystem::current_path());
  EXPECT_FALSE(env.home.empty());
  unsetenv("APFLOW_TEST_MARKER");
}

}  // namespace
}  // namespace apflow::config
