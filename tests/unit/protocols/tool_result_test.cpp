// tools/call results: structuredContent with a text copy on success, isError with the engine's
// message (and no structuredContent) on failure.
#include <gtest/gtest.h>

#include "mcp/tool_call.h"

namespace apflow::plugins::mcp {
namespace {

TEST(ToolResult, SuccessCarriesStructuredContentAndTheSameJsonAsText) {
  const sdk::Json result =
      sdk::parse_json(tool_result(sdk::CallResult{APFLOW_OK, R"({"id":"t-1"})", {}, {}, {}}));
  EXPECT_FALSE(result["isError"].GetBool());
  EXPECT_STREQ(result["content"][0]["type"].GetString(), "text");
  EXPECT_STREQ(result["content"][0]["text"].GetString(), R"({"id":"t-1"})");
  EXPECT_STREQ(result["structuredContent"]["id"].GetString(), "t-1");
}

TEST(ToolResult, FailureIsAResultWithTheMessageAndTheCodeInMeta) {
  const sdk::Json result =
      sdk::parse_json(tool_result(sdk::CallResult{APFLOW_ERROR,
                                                  {},
                                                  "SCHEMA_VALIDATION_ERROR",
                                                  "'/tasks': expected array",
                                                  R"({"errors":[{"field":"/tasks"}]})"}));
  EXPECT_TRUE(result["isError"].GetBool());
  EXPECT_FALSE(result.HasMember("structuredContent"));
  EXPECT_STREQ(result["content"][0]["text"].GetString(), "'/tasks': expected array");
  EXPECT_STREQ(result["_meta"]["apcore/error"]["code"].GetString(), "SCHEMA_VALIDATION_ERROR");
  EXPECT_STREQ(result["_meta"]["apcore/error"]["details"]["errors"][0]["field"].GetString(),
               "/tasks");
}

}  // namespace
}  // namespace apflow::plugins::mcp
