// plugins.<id> sections checked against the plugin's own schema, and plugin paths.
#include "config_test_support.h"

namespace apflow::config {
namespace {

using testing::environment_in;
using testing::error_of;
using testing::load_yaml;
using testing::TempDir;

constexpr const char* kHelloSchema = R"({
  "type": "object",
  "properties": {"greeting": {"type": "string"}, "times": {"type": "integer", "minimum": 1}},
  "additionalProperties": false
})";

class PluginSections : public ::testing::Test {
 protected:
  Config load(const std::string& yaml) { return load_yaml(dir_, yaml, env_); }
  std::string file() const { return (dir_.path() / "work/apflow.yaml").string(); }

  TempDir dir_;
  Environment env_ = environment_in(dir_);
  schema::Schema hello_ = schema::Schema::compile(kHelloSchema);
};

TEST_F(PluginSections, GoodSectionPasses) {
  auto config = load("plugins:\n  hello:\n    greeting: hi\n    times: 2\n");
  EXPECT_NO_THROW(config.validate_plugin_section("hello", &hello_));
  EXPECT_NO_THROW(config.validate_plugin_section("absent", &hello_));
  EXPECT_EQ(config.plugin_section_json("absent"), "{}");
}

TEST_F(PluginSections, BadTypeNamesLineAndKey) {
  auto config = load("plugins:\n  hello:\n    greeting: 5\n");
  auto message =
      error_of([&] { config.validate_plugin_section("hello", &hello_); }, codes::kConfigInvalid);
  EXPECT_EQ(message, file() + ":3: 'plugins.hello.greeting': expected string, got integer 5");
}

TEST_F(PluginSections, UnknownKeyListsAllowedOnes) {
  auto config = load("plugins:\n  hello:\n    greting: hi\n");
  auto message =
      error_of([&] { config.validate_plugin_section("hello", &hello_); }, codes::kConfigInvalid);
  EXPECT_EQ(message,
            file() + ":3: unknown key 'plugins.hello.greting' (allowed here: greeting, times)");
}

TEST_F(PluginSections, BadValueFromEnvironmentNamesTheVariable) {
  env_.vars["APFLOW_PLUGINS__HELLO__TIMES"] = "0";
  auto config = load("plugins:\n  hello:\n    greeting: hi\n");
  auto message =
      error_of([&] { config.validate_plugin_section("hello", &hello_); }, codes::kConfigInvalid);
  EXPECT_EQ(message,
            "environment variable APFLOW_PLUGINS__HELLO__TIMES: 'plugins.hello.times': must be "
            ">= 1, got 0");
}

TEST_F(PluginSections, MissingRequiredSaysWhereToSetIt) {
  auto required = schema::Schema::compile(R"({"required": ["name"]})");
  auto config = load("plugins:\n  paths: []\n");
  auto message =
      error_of([&] { config.validate_plugin_section("hello", &required); }, codes::kConfigInvalid);
  EXPECT_EQ(message, file() +
                         ":1: 'plugins.hello.name': missing required property 'name' (set "
                         "it under plugins.hello in the config file, or with "
                         "APFLOW_PLUGINS__HELLO__NAME)");
}

TEST_F(PluginSections, NoSchemaButSectionIsAnError) {
  auto config = load("plugins:\n  quiet: {}\n  empty:\n  hello:\n    greeting: hi\n");
  EXPECT_NO_THROW(config.validate_plugin_section("quiet", nullptr));
  EXPECT_NO_THROW(config.validate_plugin_section("empty", nullptr));
  EXPECT_NO_THROW(config.validate_plugin_section("absent", nullptr));
  auto message =
      error_of([&] { config.validate_plugin_section("hello", nullptr); }, codes::kConfigInvalid);
  EXPECT_EQ(message, file() +
                         ":4: 'plugins.hello': plugin 'hello' takes no configuration; "
                         "remove this section");
  EXPECT_EQ(config.plugin_section_json("empty"), "{}");
}

TEST_F(PluginSections, RelativePathsResolveAgainstTheFile) {
  dir_.write("conf/apflow.yaml",
             "plugins:\n  paths:\n    - plugins\n    - ../shared/\n    - /opt/apflow\n"
             "    - ~/my-plugins\n");
  LoadOptions options{dir_.path() / "conf/apflow.yaml", env_};
  auto config = Config::load(options);
  auto base = dir_.path();
  EXPECT_EQ(config.plugin_paths(),
            (std::vector<std::string>{(base / "conf/plugins").string(), (base / "shared/").string(),
                                      "/opt/apflow", (base / "home/my-plugins").string()}));
}

TEST_F(PluginSections, RelativePathsFromEnvironmentResolveAgainstCwd) {
  env_.vars["APFLOW_PLUGINS__PATHS"] = "[extra]";
  auto config = load("log:\n  level: info\n");
  EXPECT_EQ(config.plugin_paths(), std::vector<std::string>{(env_.cwd / "extra").string()});
}

}  // namespace
}  // namespace apflow::config
