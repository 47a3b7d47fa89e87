// The quick check for plain object schemas: it may only admit what the full validation accepts,
// and leaves every refusal (and its message) to the full validation.
#include "schema/object_shape.h"

#include <gtest/gtest.h>

#include "schema/schema.h"

namespace apflow::schema::detail {
namespace {

constexpr const char* kRow =
    R"({"type":"object","description":"a row","properties":{"id":{"type":"string"},)"
    R"("n":{"type":"integer","title":"count"},"x":{"type":"number"},"ok":{"type":"boolean"},)"
    R"("o":{"type":"object"},"a":{"type":"array"},"z":{"type":"null"},"any":{}},)"
    R"("required":["id","n"]})";

rapidjson::Document parse(const char* json) {
  rapidjson::Document doc;
  doc.Parse(json);
  return doc;
}

TEST(ObjectShape, CoversOnlyObjectsWithTypedPropertiesAndRequiredNames) {
  EXPECT_TRUE(ObjectShape::of(parse(kRow)).has_value());
  EXPECT_TRUE(ObjectShape::of(parse(R"({"type":"object","additionalProperties":false})")));
  for (const char* other :
       {R"({"properties":{}})", R"({"type":"array"})", R"({"type":["object","null"]})",
        R"({"type":"object","properties":{"a":{"type":"string","minLength":-1}}})",
        R"({"type":"object","properties":{"a":{"type":"string","maxLength":1}}})",
        R"({"type":"object","properties":{"a":{"$ref":"#/definitions/x"}}})",
        R"({"type":"object","properties":{"a":{"type":"date"}}})",
        R"({"type":"object","required":["a"]})",
        R"({"type":"object","additionalProperties":{"type":"string"}})",
        R"({"type":"object","patternProperties":{"^a":{}}})",
        R"({"type":"object","minProperties":1})"}) {
    EXPECT_FALSE(ObjectShape::of(parse(other)).has_value()) << other;
  }
}

TEST(ObjectShape, AdmitsWhatTheFullValidationAccepts) {
  const auto shape = ObjectShape::of(parse(kRow));
  const Schema full = Schema::compile(kRow);
  for (const char* valid :
       {R"({"id":"a","n":1})", R"({"id":"a","n":-1,"x":1.5,"ok":true,"o":{},"a":[],"z":null})",
        R"({"id":"a","n":1,"other":{"deep":[1,2]},"any":"x"})"}) {
    EXPECT_TRUE(shape->admits(parse(valid))) << valid;
    EXPECT_FALSE(full.validate(parse(valid)).has_value()) << valid;
  }
}

TEST(ObjectShape, LeavesEveryDoubtToTheFullValidation) {
  const auto shape = ObjectShape::of(parse(kRow));
  const Schema full = Schema::compile(kRow);
  for (const char* invalid :
       {R"([])", R"({"id":"a"})", R"({"id":1,"n":1})", R"({"id":"a","n":1.5})",
        R"({"id":"a","n":1,"ok":"yes"})", R"({"id":"a","n":1,"z":0})",
        R"({"id":"a","id":"b","x":1})", R"({"id":"a","n":1,"n":"two"})"}) {
    EXPECT_FALSE(shape->admits(parse(invalid))) << invalid;
    EXPECT_TRUE(full.validate(parse(invalid)).has_value()) << invalid;
  }
  const auto closed = ObjectShape::of(
      parse(R"({"type":"object","properties":{"a":{}},"additionalProperties":false})"));
  EXPECT_TRUE(closed->admits(parse(R"({"a":1})")));
  EXPECT_FALSE(closed->admits(parse(R"({"a":1,"b":2})")));
}

// minLength counts code points, as the full validation does: "é" is one, in two bytes.
TEST(ObjectShape, AdmitsAStringOnlyWhenItHasItsMinimumLength) {
  const char* schema =
      R"({"type":"object","properties":{"id":{"type":"string","minLength":2},"any":{"minLength":1}}})";
  const auto shape = ObjectShape::of(parse(schema));
  ASSERT_TRUE(shape.has_value());
  const Schema full = Schema::compile(schema);
  for (const char* valid : {R"({"id":"ab"})", R"({"id":"é!"})", R"({"any":5})", R"({})"}) {
    EXPECT_TRUE(shape->admits(parse(valid))) << valid;
    EXPECT_FALSE(full.validate(parse(valid)).has_value()) << valid;
  }
  for (const char* invalid : {R"({"id":"a"})", R"({"id":"é"})", R"({"id":""})", R"({"any":""})"}) {
    EXPECT_FALSE(shape->admits(parse(invalid))) << invalid;
    EXPECT_TRUE(full.validate(parse(invalid)).has_value()) << invalid;
  }
}

TEST(ObjectShape, ViolationsStillComeFromTheFullValidation) {
  const Schema full = Schema::compile(kRow);
  const auto violation = full.validate(parse(R"({"id":"a","n":"1"})"));
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->pointer, "/n");
  EXPECT_EQ(violation->keyword, "type");
}

}  // namespace
}  // namespace apflow::schema::detail
