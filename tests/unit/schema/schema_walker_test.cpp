// The walker that explains failures (and validates schemas with patternProperties, which RapidJSON
// 1.1.0 gets wrong) must agree with RapidJSON's validator wherever RapidJSON is right.
#include <gtest/gtest.h>

#include "schema/explain.h"
#include "schema/schema.h"

namespace apflow::schema {
namespace {

struct Case {
  const char* schema;
  std::vector<const char*> instances;
};

const std::vector<Case> kCases = {
    {R"({"type": "integer", "minimum": 1, "maximum": 10})", {"0", "1", "10", "11", "1.5", "\"1\""}},
    {R"({"type": "number", "exclusiveMaximum": true, "maximum": 2})", {"1.99", "2", "-3"}},
    {R"({"multipleOf": 3})", {"9", "10", "\"x\""}},
    {R"({"enum": [1, "a", null, {"k": [1]}]})", {"1", "1.0", "\"a\"", "null", R"({"k":[1]})", "2"}},
    {R"({"type": ["string", "null"], "minLength": 2, "maxLength": 3})",
     {"null", "\"a\"", "\"ab\"", "\"abcd\"", "\"\u00e9\u00e9\"", "3"}},
    {R"({"pattern": "^a\\d+$"})", {"\"a12\"", "\"b12\"", "\"a\"", "5"}},
    {R"({"items": {"type": "integer"}, "minItems": 1, "maxItems": 2, "uniqueItems": true})",
     {"[]", "[1]", "[1, 2]", "[1, 1]", "[1, 2, 3]", "[\"x\"]", "{}"}},
    {R"({"items": [{"type": "string"}], "additionalItems": {"type": "integer"}})",
     {"[\"a\", 1, 2]", "[\"a\", \"b\"]", "[1]"}},
    {R"({"properties": {"a": {"type": "object", "required": ["b"]}}, "required": ["a"],
         "additionalProperties": false})",
     {"{}", R"({"a": {}})", R"({"a": {"b": 1}})", R"({"a": {"b": 1}, "c": 2})"}},
    {R"({"additionalProperties": {"type": "boolean"}, "properties": {"n": {"type": "integer"}}})",
     {R"({"n": 1, "x": true})", R"({"n": 1, "x": 1})", R"({"n": true})"}},
    {R"({"dependencies": {"a": ["b"], "c": {"required": ["d"]}}})",
     {R"({"a": 1})", R"({"a": 1, "b": 2})", R"({"c": 1})", R"({"c": 1, "d": 1})"}},
    {R"({"allOf": [{"minimum": 2}, {"maximum": 4}], "not": {"enum": [3]}})", {"1", "2", "3", "5"}},
    {R"({"anyOf": [{"type": "string"}, {"minimum": 5}]})", {"\"x\"", "6", "4", "null"}},
    {R"({"oneOf": [{"type": "integer"}, {"minimum": 2}]})", {"1", "3", "2.5", "1.5"}},
    {R"({"definitions": {"node": {"type": "object", "properties": {
         "next": {"$ref": "#/definitions/node"}}, "additionalProperties": false}},
        "$ref": "#/definitions/node"})",
     {"{}", R"({"next": {"next": {}}})", R"({"next": {"bad": 1}})", R"({"next": 1})"}},
    {R"({"minProperties": 1, "maxProperties": 1})", {"{}", R"({"a": 1})", R"({"a": 1, "b": 2})"}},
};

TEST(SchemaWalker, AgreesWithRapidJson) {
  for (const auto& test_case : kCases) {
    auto schema = Schema::compile(test_case.schema);
    auto facts = detail::check_schema(schema.document());
    detail::Context context{schema.document(), facts.patterns};
    for (const char* json : test_case.instances) {
      rapidjson::Document instance;
      instance.Parse(json);
      ASSERT_FALSE(instance.HasParseError()) << json;
      auto by_rapidjson = schema.validate(instance);
      auto by_walker =
          detail::check_value(context, schema.document(), instance, "", detail::CheckMode::kAll);
      EXPECT_EQ(by_rapidjson.has_value(), by_walker.has_value())
          << test_case.schema << "\n  instance " << json
          << "\n  rapidjson: " << (by_rapidjson ? describe(*by_rapidjson) : "valid")
          << "\n  walker: " << (by_walker ? describe(*by_walker) : "valid");
      if (by_rapidjson && by_walker) {
        EXPECT_EQ(by_rapidjson->pointer, by_walker->pointer) << test_case.schema << " " << json;
      }
    }
  }
}

TEST(SchemaWalker, PatternPropertiesFollowTheSpec) {
  // RapidJSON 1.1.0 rejects {"x_a": 1} here; the specification accepts it.
  auto schema = Schema::compile(R"({
    "properties": {"x_b": {"minimum": 5}},
    "patternProperties": {"^x_": {"type": "integer"}},
    "additionalProperties": {"type": "string"}
  })");
  EXPECT_FALSE(schema.validate_json(R"({"x_a": 1, "x_b": 6, "other": "s"})"));
  auto both = schema.validate_json(R"({"x_b": 6.5})");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->message, "expected integer, got number 6.5");
  auto low = schema.validate_json(R"({"x_b": 4})");
  ASSERT_TRUE(low);
  EXPECT_EQ(low->message, "must be >= 5, got 4");
  auto other = schema.validate_json(R"({"other": 1})");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->pointer, "/other");
  EXPECT_EQ(other->message, "expected string, got integer 1");
}

TEST(SchemaWalker, SelfReferenceWithoutDescentFailsClosed) {
  auto schema = Schema::compile(R"({"allOf": [{"$ref": "#"}], "patternProperties": {"^a": {}}})");
  auto violation = schema.validate_json("{}");
  ASSERT_TRUE(violation);
  EXPECT_EQ(violation->keyword, "depth");
}

TEST(SchemaWalker, RecursiveSchemaFollowsDeepInstances) {
  auto schema = Schema::compile(R"({
    "patternProperties": {"^x$": {"$ref": "#"}}, "additionalProperties": false})");
  std::string deep = "{}";
  for (int i = 0; i < 100; ++i) deep = R"({"x": )" + deep + "}";
  EXPECT_FALSE(schema.validate_json(deep));
  std::string bad = R"({"y": 1})";
  for (int i = 0; i < 100; ++i) bad = R"({"x": )" + bad + "}";
  auto violation = schema.validate_json(bad);
  ASSERT_TRUE(violation);
  EXPECT_EQ(violation->keyword, "additionalProperties");
}

}  // namespace
}  // namespace apflow::schema
