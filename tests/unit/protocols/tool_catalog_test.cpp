// MCP tools built from module descriptors: names, schemas, hints and _meta.
#include "mcp/tool_catalog.h"

#include <gtest/gtest.h>

namespace apflow::plugins::mcp {
namespace {

TEST(ToolName, DotsBecomeUnderscoresAndBadNamesAreRefused) {
  EXPECT_EQ(tool_name("apflow.task.create_tree"), "apflow_task_create_tree");
  EXPECT_EQ(tool_name(std::string(65, 'a')), "");
  EXPECT_EQ(tool_name("a b"), "");
}

TEST(ToolCatalog, EntriesCarrySchemasHintsAndTheModuleId) {
  const sdk::Json modules = sdk::parse_json(R"([
    {"module_id":"x.read","name":null,"description":"Reads things. More words.",
     "input_schema":{"properties":{"a":{"type":"string","description":"d","x-llm-description":"L",
                                        "x-sensitive":true}}},
     "output_schema":{"type":"object"},"annotations":{"readonly":true,"requires_approval":true}},
    {"module_id":"x_read","description":"collides"},
    {"module_id":"x.bad-id!","description":"unusable"}])");
  const ToolCatalog catalog(modules);
  ASSERT_EQ(catalog.size(), 1u);
  EXPECT_EQ(catalog.skipped().size(), 2u);
  const Tool* tool = catalog.find("x.read");
  ASSERT_NE(tool, nullptr);
  EXPECT_EQ(tool, catalog.find("x_read"));
  const sdk::Json entry = sdk::parse_json(tool->json);
  EXPECT_STREQ(entry["name"].GetString(), "x_read");
  EXPECT_STREQ(entry["title"].GetString(), "Reads things");
  EXPECT_STREQ(entry["inputSchema"]["type"].GetString(), "object");
  EXPECT_EQ(sdk::to_json(entry["inputSchema"]["properties"]["a"]),
            R"({"type":"string","description":"L"})");
  EXPECT_TRUE(entry.HasMember("outputSchema"));
  EXPECT_EQ(sdk::to_json(entry["annotations"]),
            R"({"title":"Reads things","readOnlyHint":true,"destructiveHint":false,)"
            R"("idempotentHint":false,"openWorldHint":true})");
  EXPECT_EQ(sdk::to_json(entry["_meta"]),
            R"({"apcore/moduleId":"x.read","requiresApproval":true})");
}

}  // namespace
}  // namespace apflow::plugins::mcp
