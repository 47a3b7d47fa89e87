// ${VAR} expansion and the typing of plain scalars.
#include "config/expand.h"
#include "config/yaml_json.h"
#include "config_test_support.h"

namespace apflow::config {
namespace {

using testing::environment_in;
using testing::error_of;
using testing::load_yaml;
using testing::TempDir;

std::string expanded(std::string_view text, const detail::Vars& vars) {
  auto result = detail::expand(text, vars);
  if (auto* error = std::get_if<detail::ExpandError>(&result)) return "ERROR: " + error->message;
  return std::get<std::string>(result);
}

TEST(Expand, SetDefaultAndLiteralDollar) {
  detail::Vars vars{{"HOST", "db"}, {"EMPTY", ""}};
  EXPECT_EQ(expanded("${HOST}:5432", vars), "db:5432");
  EXPECT_EQ(expanded("${PORT:-5432}", vars), "5432");
  EXPECT_EQ(expanded("${EMPTY:-fallback}", vars), "fallback");
  EXPECT_EQ(expanded("${HOST:-fallback}", vars), "db");
  EXPECT_EQ(expanded("${PORT:-}", vars), "");
  EXPECT_EQ(expanded("cost $$5 and $HOME", vars), "cost $5 and $HOME");
  EXPECT_EQ(expanded("$${HOST}", vars), "${HOST}");
  EXPECT_EQ(expanded("trailing $", vars), "trailing $");
}

TEST(Expand, Errors) {
  detail::Vars vars;
  EXPECT_EQ(expanded("${MISSING}", vars),
            "ERROR: environment variable 'MISSING' is not set (set it, or give a default: "
            "${MISSING:-value})");
  EXPECT_NE(expanded("${OPEN", vars).find("unterminated"), std::string::npos);
  EXPECT_NE(expanded("${1BAD}", vars).find("not a variable reference"), std::string::npos);
}

TEST(TypedScalar, YamlCoreRules) {
  rapidjson::Document document;
  auto& allocator = document.GetAllocator();
  EXPECT_TRUE(detail::typed_scalar("", allocator).IsNull());
  EXPECT_TRUE(detail::typed_scalar("~", allocator).IsNull());
  EXPECT_TRUE(detail::typed_scalar("null", allocator).IsNull());
  EXPECT_TRUE(detail::typed_scalar("true", allocator).IsTrue());
  EXPECT_TRUE(detail::typed_scalar("yes", allocator).IsString());
  EXPECT_EQ(detail::typed_scalar("-42", allocator).GetInt64(), -42);
  EXPECT_EQ(detail::typed_scalar("+7", allocator).GetInt64(), 7);
  EXPECT_EQ(detail::typed_scalar("18446744073709551615", allocator).GetUint64(),
            18446744073709551615ull);
  EXPECT_DOUBLE_EQ(detail::typed_scalar("1.5", allocator).GetDouble(), 1.5);
  EXPECT_DOUBLE_EQ(detail::typed_scalar(".5", allocator).GetDouble(), 0.5);
  EXPECT_DOUBLE_EQ(detail::typed_scalar("1e3", allocator).GetDouble(), 1000.0);
  EXPECT_TRUE(detail::typed_scalar("1.2.3", allocator).IsString());
  EXPECT_TRUE(detail::typed_scalar("12ms", allocator).IsString());
}

class Expansion : public ::testing::Test {
 protected:
  TempDir dir_;
  Environment env_ = environment_in(dir_);
};

TEST_F(Expansion, PlainScalarIsTypedAfterExpansion) {
  env_.vars["TIMEOUT"] = "5000";
  env_.vars["LEVEL"] = "debug";
  auto config = load_yaml(
      dir_, "log:\n  level: ${LEVEL}\nmodules:\n  default_timeout_ms: ${TIMEOUT}\n", env_);
  EXPECT_EQ(config.log_level(), "debug");
  EXPECT_EQ(config.default_timeout_ms(), 5000);
}

TEST_F(Expansion, QuotedScalarStaysAString) {
  env_.vars["TIMEOUT"] = "5000";
  auto message =
      error_of([&] { load_yaml(dir_, "modules:\n  default_timeout_ms: \"${TIMEOUT}\"\n", env_); },
               codes::kConfigInvalid);
  EXPECT_NE(message.find(":2: 'modules.default_timeout_ms': expected integer, got string "
                         "\"5000\""),
            std::string::npos)
      << message;
}

TEST_F(Expansion, DefaultsAndDollar) {
  auto config = load_yaml(dir_,
                          "log:\n  level: ${APFLOW_TEST_LEVEL:-warn}\n"
                          "plugins:\n  hello:\n    price: \"$$5\"\n    port: ${PORT:-8080}\n",
                          env_);
  EXPECT_EQ(config.log_level(), "warn");
  EXPECT_EQ(config.plugin_section_json("hello"), R"({"price":"$5","port":8080})");
}

TEST_F(Expansion, UnsetVariableNamesFileLineAndKey) {
  auto message = error_of(
      [&] {
        load_yaml(dir_, "log:\n  level: info\nplugins:\n  hello:\n    token: ${TOKEN}\n", env_);
      },
      codes::kConfigInvalid);
  auto file = (dir_.path() / "work/apflow.yaml").string();
  EXPECT_EQ(message, file +
                         ":5: 'plugins.hello.token': environment variable 'TOKEN' is not set "
                         "(set it, or give a default: ${TOKEN:-value})");
}

}  // namespace
}  // namespace apflow::config
