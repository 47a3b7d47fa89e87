#include "plugins/plugin_paths.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace apflow::plugins {
namespace {
namespace fs = std::filesystem;

TEST(PluginPaths, OrderIsBuiltinConfigEnvironmentFlags) {
  PluginDirSources sources;
  sources.builtin = "/opt/apflow/lib/apflow/plugins";
  sources.from_config = {"/etc/apflow/plugins"};
  sources.from_env = "/env/one::/env/two";
  sources.from_flags = {"/flag/dir"};
  EXPECT_EQ(plugin_directories(sources),
            (std::vector<fs::path>{"/opt/apflow/lib/apflow/plugins", "/etc/apflow/plugins",
                                   "/env/one", "/env/two", "/flag/dir"}));
}

TEST(PluginPaths, DuplicatesAreScannedOnce) {
  PluginDirSources sources;
  sources.from_config = {"/a/plugins", "/a/./plugins/"};
  sources.from_flags = {"/a/b/../plugins"};
  EXPECT_EQ(plugin_directories(sources).size(), 1u);
}

TEST(PluginPaths, BuiltinDirectoryIsFoundBesideTheBinary) {
  const fs::path root = fs::path(::testing::TempDir()) / "builtin_dir_test";
  fs::remove_all(root);
  fs::create_directories(root / "bin");
  EXPECT_FALSE(builtin_plugin_dir(root / "bin" / "apflow").has_value());
  fs::create_directories(root / "lib" / "apflow" / "plugins");
  auto found = builtin_plugin_dir(root / "bin" / "apflow");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, fs::weakly_canonical(root / "lib" / "apflow" / "plugins"));
}

}  // namespace
}  // namespace apflow::plugins
