// config/apflow.yaml, the documented default config, loads, validates and states every default.
#include "config_test_support.h"

namespace apflow::config {
namespace {

using testing::environment_in;
using testing::TempDir;

void collect_leaves(const rapidjson::Value& value, const std::string& pointer,
                    std::vector<std::string>& out) {
  if (!value.IsObject() || value.MemberCount() == 0) {
    out.push_back(pointer);
    return;
  }
  for (const auto& entry : value.GetObject()) {
    collect_leaves(entry.value, pointer + "/" + entry.name.GetString(), out);
  }
}

TEST(DefaultConfigFile, LoadsAndEqualsTheBuiltInDefaults) {
  TempDir dir;
  LoadOptions options{std::filesystem::path(APFLOW_DEFAULT_CONFIG_FILE), environment_in(dir)};
  auto config = Config::load(options);
  EXPECT_EQ(config.root(), Config::defaults().root());
}

TEST(DefaultConfigFile, WritesOutEveryKey) {
  TempDir dir;
  LoadOptions options{std::filesystem::path(APFLOW_DEFAULT_CONFIG_FILE), environment_in(dir)};
  auto config = Config::load(options);
  std::vector<std::string> leaves;
  collect_leaves(Config::defaults().root(), "", leaves);
  ASSERT_FALSE(leaves.empty());
  for (const auto& leaf : leaves) {
    EXPECT_EQ(config.location_of(leaf).rfind(APFLOW_DEFAULT_CONFIG_FILE ":", 0), 0u)
        << leaf << " is not written out in config/apflow.yaml";
  }
}

}  // namespace
}  // namespace apflow::config
