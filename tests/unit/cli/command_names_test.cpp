#include "cli/command_names.h"

#include <gtest/gtest.h>

namespace apflow::plugins::cli {
namespace {

TEST(CommandNames, StripTheApflowNamespaceAndSplitAtTheFirstDot) {
  const auto create = command_name_for("apflow.task.create_tree");
  EXPECT_EQ(create.group, "task");
  EXPECT_EQ(create.command, "create-tree");
  const auto sleep = command_name_for("testkit.sleep");
  EXPECT_EQ(sleep.group, "testkit");
  EXPECT_EQ(sleep.command, "sleep");
  const auto deep = command_name_for("acme.report.build.now");
  EXPECT_EQ(deep.group, "acme");
  EXPECT_EQ(deep.command, "report.build.now");
}

TEST(CommandNames, AnIdWithoutADotAfterTheNamespaceIsATopLevelCommand) {
  const auto echo = command_name_for("apflow.echo_executor");
  EXPECT_EQ(echo.group, "");
  EXPECT_EQ(echo.command, "echo-executor");
}

TEST(CommandNames, UnderscoresBecomeDashesInGroupsToo) {
  const auto name = command_name_for("my_tools.do_it");
  EXPECT_EQ(name.group, "my-tools");
  EXPECT_EQ(name.command, "do-it");
}

TEST(FlagNames, PropertiesBecomeDashedFlags) {
  EXPECT_EQ(flag_name_for("task_id"), "task-id");
  EXPECT_EQ(flag_name_for("ms"), "ms");
  EXPECT_EQ(flag_name_for("camelCase"), "camelCase");
}

TEST(FlagNames, NamesTheCliOrTheHostUseGetAPrefix) {
  const std::vector<std::pair<std::string, std::string>> reserved = {
      {"input", "arg-input"},
      {"format", "arg-format"},
      {"timeout", "arg-timeout"},
      {"help", "arg-help"},
      {"config", "arg-config"},
      {"plugin_dir", "arg-plugin-dir"},
      {"log_level", "arg-log-level"},
      {"version", "arg-version"},
      {"db", "arg-db"},
      {"h", "arg-h"}};
  for (const auto& [property, flag] : reserved) EXPECT_EQ(flag_name_for(property), flag);
  EXPECT_EQ(flag_name_for("inputs"), "inputs");
}

TEST(FlagNames, PropertiesTheParserCannotTakeAreNotFlags) {
  EXPECT_FALSE(flag_name_for(""));
  EXPECT_FALSE(flag_name_for("with space"));
  EXPECT_FALSE(flag_name_for("_private"));
  EXPECT_FALSE(flag_name_for("a=b"));
  EXPECT_FALSE(flag_name_for("$ref"));
}

sdk::Json descriptors(const char* ids_json) {
  sdk::Json ids = sdk::parse_json(ids_json);
  sdk::Json out;
  out.SetArray();
  for (const auto& id : ids.GetArray()) {
    rapidjson::Value descriptor(rapidjson::kObjectType);
    descriptor.AddMember("module_id", rapidjson::Value(id, out.GetAllocator()), out.GetAllocator());
    descriptor.AddMember("description", "d", out.GetAllocator());
    out.PushBack(descriptor, out.GetAllocator());
  }
  return out;
}

TEST(CommandIndex, GroupsAndTopLevelCommands) {
  const sdk::Json modules = descriptors(
      R"(["apflow.echo_executor","apflow.task.create","apflow.task.create_tree","testkit.sleep"])");
  const CommandIndex index(modules);
  EXPECT_EQ(index.groups(), (std::vector<std::string>{"task", "testkit"}));
  EXPECT_EQ(index.top_level_commands(), (std::vector<std::string>{"echo-executor"}));
  ASSERT_NE(index.find("task", "create-tree"), nullptr);
  EXPECT_EQ(sdk::get_string(*index.find("task", "create-tree"), "module_id"),
            "apflow.task.create_tree");
  EXPECT_EQ(index.find("task", "create_tree"), nullptr);
  EXPECT_EQ(index.find("nope", "create"), nullptr);
  EXPECT_NE(index.top_level("echo-executor"), nullptr);
  EXPECT_TRUE(index.is_group("testkit"));
  EXPECT_FALSE(index.is_group("echo-executor"));
  EXPECT_EQ(index.group_commands("task").size(), 2u);
  EXPECT_TRUE(index.shadowed().empty());
}

TEST(CommandIndex, TheFirstModuleKeepsAContestedNameAndAGroupBeatsACommand) {
  const sdk::Json modules =
      descriptors(R"(["apflow.testkit","apflow.testkit.sleep","testkit.sleep"])");
  const CommandIndex index(modules);
  EXPECT_EQ(sdk::get_string(*index.find("testkit", "sleep"), "module_id"), "apflow.testkit.sleep");
  EXPECT_EQ(index.top_level("testkit"), nullptr);
  EXPECT_EQ(index.shadowed(), (std::vector<std::string>{"testkit.sleep", "apflow.testkit"}));
}

}  // namespace
}  // namespace apflow::plugins::cli
