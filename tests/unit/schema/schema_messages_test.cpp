// Each kind of violation names the offending value and says what was expected and what was found.
#include <gtest/gtest.h>

#include "schema/schema.h"

namespace apflow::schema {
namespace {

constexpr const char* kEngineSchema = R"({
  "type": "object",
  "properties": {
    "name": {"type": "string", "minLength": 2, "maxLength": 8, "pattern": "^[a-z]+$"},
    "level": {"enum": ["debug", "info", "warn"]},
    "engine": {
      "type": "object",
      "properties": {
        "max_parallel": {"type": "integer", "minimum": 1, "maximum": 64},
        "ratio": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "multipleOf": 0.5}
      },
      "additionalProperties": false
    },
    "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3,
             "uniqueItems": true},
    "pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}],
             "additionalItems": false},
    "when": {"type": "string", "format": "date-time"},
    "id": {"type": ["string", "integer"]}
  },
  "required": ["name"]
})";

Violation check(const Schema& schema, const char* json) {
  auto violation = schema.validate_json(json);
  EXPECT_TRUE(violation.has_value()) << json;
  return violation.value_or(Violation{});
}

class Messages : public ::testing::Test {
 protected:
  Schema schema_ = Schema::compile(kEngineSchema);
};

TEST_F(Messages, ValidInstancePasses) {
  EXPECT_FALSE(schema_.validate_json(R"({"name": "ab", "engine": {"max_parallel": 8}})"));
}

TEST_F(Messages, TypeNamesExpectedAndActual) {
  auto v = check(schema_, R"({"name": "ab", "engine": {"max_parallel": "eight"}})");
  EXPECT_EQ(v.pointer, "/engine/max_parallel");
  EXPECT_EQ(v.keyword, "type");
  EXPECT_EQ(v.message, "expected integer, got string \"eight\"");
  EXPECT_EQ(describe(v), "'/engine/max_parallel': expected integer, got string \"eight\"");
}

TEST_F(Messages, TypeListAndRoot) {
  auto v = check(schema_, R"({"name": "ab", "id": true})");
  EXPECT_EQ(v.message, "expected string or integer, got boolean true");
  auto root = check(schema_, "[1, 2]");
  EXPECT_EQ(root.pointer, "");
  EXPECT_EQ(describe(root), "input: expected object, got array of 2 items");
}

TEST_F(Messages, RequiredNamesTheMissingProperty) {
  auto v = check(schema_, R"({"engine": {}})");
  EXPECT_EQ(v.keyword, "required");
  EXPECT_EQ(v.pointer, "/name");
  EXPECT_EQ(v.message, "missing required property 'name'");
}

TEST_F(Messages, AdditionalPropertyNamesTheUnknownOneAndTheAllowed) {
  auto v = check(schema_, R"({"name": "ab", "engine": {"max_parallel": 2, "max_paralel": 3}})");
  EXPECT_EQ(v.keyword, "additionalProperties");
  EXPECT_EQ(v.pointer, "/engine/max_paralel");
  EXPECT_EQ(v.message, "unknown property 'max_paralel' (allowed: max_parallel, ratio)");
}

TEST_F(Messages, EnumListsTheChoices) {
  auto v = check(schema_, R"({"name": "ab", "level": "verbose"})");
  EXPECT_EQ(v.keyword, "enum");
  EXPECT_EQ(v.pointer, "/level");
  EXPECT_EQ(v.message, "must be one of: debug, info, warn (got \"verbose\")");
}

TEST_F(Messages, MinimumAndMaximum) {
  auto low = check(schema_, R"({"name": "ab", "engine": {"max_parallel": 0}})");
  EXPECT_EQ(low.keyword, "minimum");
  EXPECT_EQ(low.message, "must be >= 1, got 0");
  auto high = check(schema_, R"({"name": "ab", "engine": {"max_parallel": 65}})");
  EXPECT_EQ(high.keyword, "maximum");
  EXPECT_EQ(high.message, "must be <= 64, got 65");
  auto exclusive = check(schema_, R"({"name": "ab", "engine": {"ratio": 0}})");
  EXPECT_EQ(exclusive.message, "must be > 0, got 0");
  auto multiple = check(schema_, R"({"name": "ab", "engine": {"ratio": 0.7}})");
  EXPECT_EQ(multiple.keyword, "multipleOf");
  EXPECT_EQ(multiple.message, "must be a multiple of 0.5, got 0.7");
}

TEST_F(Messages, StringLengthsAndPattern) {
  auto short_name = check(schema_, R"({"name": "a"})");
  EXPECT_EQ(short_name.keyword, "minLength");
  EXPECT_EQ(short_name.message, "must be at least 2 characters long, got 1 (\"a\")");
  auto long_name = check(schema_, R"({"name": "abcdefghij"})");
  EXPECT_EQ(long_name.keyword, "maxLength");
  EXPECT_EQ(long_name.message, "must be at most 8 characters long, got 10 (\"abcdefghij\")");
  auto pattern = check(schema_, R"({"name": "AB"})");
  EXPECT_EQ(pattern.keyword, "pattern");
  EXPECT_EQ(pattern.message, "must match the pattern '^[a-z]+$', got string \"AB\"");
}

TEST_F(Messages, ArrayCountsAndUniqueness) {
  auto none = check(schema_, R"({"name": "ab", "tags": []})");
  EXPECT_EQ(none.keyword, "minItems");
  EXPECT_EQ(none.message, "must have at least 1 item, got 0");
  auto many = check(schema_, R"({"name": "ab", "tags": ["a", "b", "c", "d"]})");
  EXPECT_EQ(many.keyword, "maxItems");
  EXPECT_EQ(many.message, "must have at most 3 items, got 4");
  auto twice = check(schema_, R"({"name": "ab", "tags": ["a", "b", "a"]})");
  EXPECT_EQ(twice.keyword, "uniqueItems");
  EXPECT_EQ(twice.pointer, "/tags/2");
  EXPECT_EQ(twice.message, "items must be unique, but item 2 repeats item 0 (\"a\")");
  auto item = check(schema_, R"({"name": "ab", "tags": ["a", 5]})");
  EXPECT_EQ(item.pointer, "/tags/1");
  EXPECT_EQ(item.message, "expected string, got integer 5");
}

TEST_F(Messages, TupleOverflow) {
  auto v = check(schema_, R"({"name": "ab", "pair": ["a", 1, true]})");
  EXPECT_EQ(v.keyword, "additionalItems");
  EXPECT_EQ(v.pointer, "/pair/2");
  EXPECT_EQ(v.message, "unexpected item: at most 2 items allowed, got 3");
}

TEST_F(Messages, Format) {
  EXPECT_FALSE(schema_.validate_json(R"({"name": "ab", "when": "2024-05-01T12:00:00Z"})"));
  auto v = check(schema_, R"({"name": "ab", "when": "yesterday"})");
  EXPECT_EQ(v.keyword, "format");
  EXPECT_EQ(v.pointer, "/when");
  EXPECT_EQ(v.message,
            "must be an RFC 3339 date-time such as 2024-05-01T12:00:00Z, got string "
            "\"yesterday\"");
}

TEST_F(Messages, MalformedJson) {
  auto v = check(schema_, R"({"name": )");
  EXPECT_EQ(v.keyword, "json");
  EXPECT_NE(v.message.find("offset 9"), std::string::npos) << v.message;
}

TEST(SchemaMessages, EmptySchemaAcceptsAnything) {
  auto any = Schema::compile("{}");
  for (const char* json : {"null", "1", "\"x\"", "[1]", "{\"a\": {}}"}) {
    EXPECT_FALSE(any.validate_json(json)) << json;
  }
  auto untyped = Schema::compile(R"({"description": "anything"})");
  EXPECT_FALSE(untyped.validate_json("[true]"));
}

TEST(SchemaMessages, PatternPropertiesAndAdditionalProperties) {
  auto schema = Schema::compile(R"({
    "type": "object",
    "properties": {"paths": {"type": "array"}},
    "patternProperties": {"^x_": {"type": "integer"}},
    "additionalProperties": false
  })");
  EXPECT_FALSE(schema.validate_json(R"({"paths": [], "x_a": 1})"));
  auto wrong = schema.validate_json(R"({"x_a": "one"})");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->pointer, "/x_a");
  EXPECT_EQ(wrong->message, "expected integer, got string \"one\"");
  auto unknown = schema.validate_json(R"({"y": 1})");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->message, "unknown property 'y' (allowed: paths, or names matching ^x_)");
}

TEST(SchemaMessages, CombinationsExplainTheBranch) {
  auto schema = Schema::compile(R"({
    "definitions": {"port": {"type": "integer", "minimum": 1}},
    "properties": {
      "port": {"$ref": "#/definitions/port"},
      "both": {"allOf": [{"type": "object"}, {"required": ["a"]}]},
      "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
      "one": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
      "never": {"not": {"type": "null"}}
    }
  })");
  auto port = schema.validate_json(R"({"port": 0})");
  ASSERT_TRUE(port);
  EXPECT_EQ(port->message, "must be >= 1, got 0");
  auto both = schema.validate_json(R"({"both": {}})");
  ASSERT_TRUE(both);
  EXPECT_EQ(both->pointer, "/both/a");
  EXPECT_EQ(both->message, "missing required property 'a'");
  auto either = schema.validate_json(R"({"either": true})");
  ASSERT_TRUE(either);
  EXPECT_EQ(either->message, "expected integer or string, got boolean true");
  auto one = schema.validate_json(R"({"one": 3})");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->keyword, "oneOf");
  auto never = schema.validate_json(R"({"never": null})");
  ASSERT_TRUE(never);
  EXPECT_EQ(never->keyword, "not");
}

TEST(SchemaMessages, DependenciesAndPropertyCounts) {
  auto schema = Schema::compile(R"({
    "dependencies": {"user": ["password"]}, "minProperties": 1, "maxProperties": 2
  })");
  auto dependency = schema.validate_json(R"({"user": "a"})");
  ASSERT_TRUE(dependency);
  EXPECT_EQ(dependency->pointer, "/password");
  EXPECT_EQ(dependency->message, "property 'password' is required when 'user' is present");
  auto empty = schema.validate_json("{}");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->message, "must have at least 1 property, got 0");
  auto full = schema.validate_json(R"({"a": 1, "b": 2, "c": 3})");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->message, "must have at most 2 properties, got 3");
}

TEST(SchemaMessages, PointersEscapeSlashAndTilde) {
  auto schema = Schema::compile(R"({"additionalProperties": false})");
  auto v = schema.validate_json(R"({"a/b~c": 1})");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->pointer, "/a~1b~0c");
  EXPECT_EQ(v->message, "unknown property 'a/b~c' (no properties are allowed here)");
}

}  // namespace
}  // namespace apflow::schema
