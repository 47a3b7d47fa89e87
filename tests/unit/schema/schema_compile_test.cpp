// Compiling: bad schemas are refused with a reason; compiled schemas are cheap to share.
#include <gtest/gtest.h>

#include "core/error.h"
#include "schema/schema.h"

namespace apflow::schema {
namespace {

std::string compile_error(const char* json) {
  try {
    Schema::compile(json);
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), codes::kSchemaParseError);
    return error.what();
  }
  ADD_FAILURE() << "compiled: " << json;
  return {};
}

TEST(SchemaCompile, RejectsMalformedJson) {
  EXPECT_NE(compile_error(R"({"type": )").find("schema is not valid JSON"), std::string::npos);
}

TEST(SchemaCompile, RejectsNonObjectSchema) {
  EXPECT_EQ(compile_error("[1]"),
            "invalid schema at the root: a schema must be a JSON object, "
            "got array");
}

TEST(SchemaCompile, RejectsUnknownTypeName) {
  auto message = compile_error(R"({"properties": {"n": {"type": "int"}}})");
  EXPECT_NE(message.find("'/properties/n'"), std::string::npos) << message;
  EXPECT_NE(message.find("\"int\""), std::string::npos) << message;
}

TEST(SchemaCompile, RejectsBadPatternAndDanglingRef) {
  EXPECT_NE(compile_error(R"({"pattern": "(["})").find("not a valid ECMAScript regex"),
            std::string::npos);
  EXPECT_NE(compile_error(R"({"$ref": "#/definitions/none"})").find("points to nothing"),
            std::string::npos);
  EXPECT_NE(compile_error(R"({"$ref": "http://x/y.json"})").find("not supported"),
            std::string::npos);
  EXPECT_NE(compile_error(R"({"minLength": -1})").find("non-negative integer"), std::string::npos);
}

TEST(SchemaCompile, CompilesFromValueAndKeepsTheDocument) {
  rapidjson::Document source;
  source.Parse(R"({"type": "string"})");
  auto schema = Schema::compile(source);
  source.SetNull();  // the schema owns a copy
  EXPECT_TRUE(schema.document().IsObject());
  EXPECT_STREQ(schema.document()["type"].GetString(), "string");
  EXPECT_TRUE(schema.validate_json("1"));
}

TEST(SchemaCompile, CopiesShareTheCompiledState) {
  auto schema = Schema::compile(R"({"type": "integer"})");
  Schema copy = schema;
  Schema moved = std::move(copy);
  EXPECT_EQ(&moved.document(), &schema.document());
  EXPECT_FALSE(moved.validate_json("3"));
}

TEST(SchemaCompile, EcmaScriptPatternFeatures) {
  // \d and lookahead are beyond RapidJSON's own regex engine; they must still be enforced.
  auto schema = Schema::compile(R"({"pattern": "^(?!paths$)\\d*[a-z]+$"})");
  EXPECT_FALSE(schema.validate_json("\"12abc\""));
  EXPECT_TRUE(schema.validate_json("\"paths\""));
  EXPECT_TRUE(schema.validate_json("\"ABC\""));
}

}  // namespace
}  // namespace apflow::schema
