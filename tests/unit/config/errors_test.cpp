// Every file error starts with file:line and names the dotted key.
#include "config_test_support.h"

namespace apflow::config {
namespace {

using testing::environment_in;
using testing::error_of;
using testing::load_yaml;
using testing::TempDir;

class FileErrors : public ::testing::Test {
 protected:
  std::string load_error(const std::string& yaml) {
    return error_of([&] { load_yaml(dir_, yaml, environment_in(dir_)); }, codes::kConfigInvalid);
  }
  std::string file() const { return (dir_.path() / "work/apflow.yaml").string(); }

  TempDir dir_;
};

TEST_F(FileErrors, UnknownTopLevelKey) {
  EXPECT_EQ(load_error("log:\n  level: info\nengin:\n  max_parallel: 3\n"),
            file() +
                ":3: unknown key 'engin' (allowed here: log, plugins, modules, engine, "
                "durability, storage)");
  EXPECT_EQ(load_error("engine:\n  max_paralel: 3\n"),
            file() +
                ":2: unknown key 'engine.max_paralel' (allowed here: max_parallel, "
                "lease_ms, default_task_timeout_ms, batch_size, node_id, schedule_poll_ms, "
                "max_lease_expiries)");
}

TEST_F(FileErrors, UnknownNestedKey) {
  EXPECT_EQ(load_error("modules:\n  default_timeout: 5\n"),
            file() +
                ":2: unknown key 'modules.default_timeout' (allowed here: "
                "default_timeout_ms)");
}

TEST_F(FileErrors, WrongType) {
  EXPECT_EQ(load_error("# comment\nmodules:\n  default_timeout_ms: fast\n"),
            file() + ":3: 'modules.default_timeout_ms': expected integer, got string \"fast\"");
}

TEST_F(FileErrors, OutOfRangeAndNotInEnum) {
  EXPECT_EQ(load_error("modules:\n  default_timeout_ms: 0\n"),
            file() + ":2: 'modules.default_timeout_ms': must be >= 1, got 0");
  EXPECT_EQ(load_error("engine:\n  max_lease_expiries: -1\n"),
            file() + ":2: 'engine.max_lease_expiries': must be >= 0, got -1");
  EXPECT_EQ(load_error("log:\n  level: verbose\n"),
            file() +
                ":2: 'log.level': must be one of: trace, debug, info, warn, error, off "
                "(got \"verbose\")");
}

TEST_F(FileErrors, ListItemIsNamedByIndex) {
  EXPECT_EQ(load_error("plugins:\n  paths:\n    - ok\n    - 5\n"),
            file() + ":4: 'plugins.paths[1]': expected string, got integer 5");
}

TEST_F(FileErrors, BadPluginId) {
  EXPECT_EQ(load_error("plugins:\n  Hello: {}\n"),
            file() +
                ":2: unknown key 'plugins.Hello' (plugin ids must match ^[a-z][a-z0-9_]*$; "
                "'paths' and 'disabled' are lists)");
}

TEST_F(FileErrors, YamlSyntaxErrorHasLineAndColumn) {
  auto message = load_error("log:\n  level: [info\nplugins: {}\n");
  ASSERT_EQ(message.rfind(file() + ":", 0), 0u) << message;
  std::string rest = message.substr(file().size());
  EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(rest[1]))) << message;
  EXPECT_NE(rest.find(": YAML syntax error: "), std::string::npos) << message;
  EXPECT_EQ(std::count(rest.begin(), rest.begin() + rest.find(" "), ':'), 3) << message;
}

TEST_F(FileErrors, DuplicateKey) {
  EXPECT_EQ(load_error("log:\n  level: info\n  level: warn\n"),
            file() + ":3: duplicate key 'log.level' (first at line 2)");
}

TEST_F(FileErrors, TopLevelMustBeAMapping) {
  EXPECT_EQ(load_error("- a\n- b\n"),
            file() +
                ":1: the top level must be a mapping of sections (log:, plugins:, "
                "modules:), got a list");
}

TEST_F(FileErrors, EmptyValuesKeepDefaults) {
  auto config = load_yaml(dir_, "log:\nmodules:\n  default_timeout_ms:\n", environment_in(dir_));
  EXPECT_EQ(config.log_level(), "info");
  EXPECT_EQ(config.default_timeout_ms(), 30000);
  EXPECT_EQ(config.location_of("/modules/default_timeout_ms"), "default");
}

TEST_F(FileErrors, LocationsOfFileValues) {
  auto config = load_yaml(dir_, "\nlog:\n  level: debug\n", environment_in(dir_));
  EXPECT_EQ(config.location_of("/log/level"), file() + ":3");
  EXPECT_EQ(config.location_of("/log"), file() + ":2");
  EXPECT_EQ(config.location_of("/log/level/deeper"), file() + ":3");
  EXPECT_EQ(config.location_of("/modules"), "default");
}

}  // namespace
}  // namespace apflow::config
