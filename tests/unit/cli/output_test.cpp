#include <apflow/sdk/error.h>
#include <gtest/gtest.h>

#include "cli/cli_errors.h"
#include "cli/output_format.h"

namespace apflow::plugins::cli {
namespace {

TEST(OutputFormat, JsonIsIndentedByTwoSpaces) {
  const sdk::Json output = sdk::parse_json(R"({"echo":"hi","n":[1,2],"o":{}})");
  EXPECT_EQ(pretty_json(output),
            "{\n  \"echo\": \"hi\",\n  \"n\": [\n    1,\n    2\n  ],\n  \"o\": {}\n}");
}

TEST(OutputFormat, TableHasAKeyValueRowPerMember) {
  const sdk::Json output =
      sdk::parse_json(R"({"echo":"hi","count":2,"nested":{"a":[1,"x"]},"none":null,"e":""})");
  EXPECT_EQ(table_text(output),
            "Key     Value\n"
            "------  -----\n"
            "echo    hi\n"
            "count   2\n"
            "nested  {\"a\":[1,\"x\"]}\n"
            "none    null\n"
            "e\n");
}

TEST(OutputFormat, TableKeepsMultiLineValuesUnderTheirColumn) {
  EXPECT_EQ(table_text(sdk::parse_json(R"({"text":"one\ntwo"})")),
            "Key   Value\n----  -----\ntext  one\n      two\n");
  EXPECT_EQ(table_text(sdk::parse_json("{}")), "(no output)\n");
}

TEST(OutputFormat, DefaultIsATableOnATerminalAndJsonOtherwise) {
  EXPECT_EQ(parse_format("", true), Format::kTable);
  EXPECT_EQ(parse_format("", false), Format::kJson);
  EXPECT_EQ(parse_format("json", true), Format::kJson);
  EXPECT_EQ(parse_format("table", false), Format::kTable);
  EXPECT_THROW(parse_format("yaml", false), sdk::Error);
}

TEST(CliErrors, OneLineWithTheCodeAndTheValidatorsField) {
  EXPECT_EQ(error_line("MODULE_TIMEOUT", "too slow"), "error: MODULE_TIMEOUT: too slow");
  EXPECT_EQ(error_line("SCHEMA_VALIDATION_ERROR", "bad input",
                       R"({"errors":[{"field":"/message","code":"required","message":"m"}]})"),
            "error: SCHEMA_VALIDATION_ERROR: bad input (field: /message)");
  EXPECT_EQ(error_line("X_Y", "m", "not json"), "error: X_Y: m");
}

TEST(CliErrors, ExitCodesFollowApcoreCli) {
  EXPECT_EQ(exit_code_for("MODULE_NOT_FOUND"), 44);
  EXPECT_EQ(exit_code_for("MODULE_DISABLED"), 44);
  EXPECT_EQ(exit_code_for("SCHEMA_VALIDATION_ERROR"), 45);
  EXPECT_EQ(exit_code_for("GENERAL_INVALID_INPUT"), 2);
  EXPECT_EQ(exit_code_for("APPROVAL_DENIED"), 46);
  EXPECT_EQ(exit_code_for("CONFIG_INVALID"), 47);
  EXPECT_EQ(exit_code_for("CLI_FLAG_COLLISION"), 48);
  EXPECT_EQ(exit_code_for("ACL_DENIED"), 77);
  EXPECT_EQ(exit_code_for("MODULE_TIMEOUT"), 1);
  EXPECT_EQ(exit_code_for("MODULE_EXECUTE_ERROR"), 1);
  EXPECT_EQ(exit_code_for("TESTKIT_BOOM"), 1);
}

}  // namespace
}  // namespace apflow::plugins::cli
