#include "engine/injection.h"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace apflow::engine {
namespace {

std::string inject(const char* inputs, const char* deps, const char* results, const char* mode,
                   const char* executor = "x") {
  rapidjson::Document i, d, r;
  i.Parse(inputs);
  d.Parse(deps);
  r.Parse(results);
  auto out = inject_results(i, d, r, mode, executor);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  out.Accept(writer);
  return buffer.GetString();
}

constexpr const char* kResults =
    R"({"a":{"status":"completed","result":{"x":1}},"b":{"status":"failed","result":null},)"
    R"("c":{"status":"completed","result":{"result":[1,2]}}})";

TEST(Injection, ByIdPutsEachCompletedResultUnderItsId) {
  EXPECT_EQ(inject(R"({"own":0})", R"([{"id":"a"},"b",{"id":"c"}])", kResults, "by_id"),
            R"({"own":0,"a":{"x":1},"c":{"result":[1,2]}})");
}

TEST(Injection, MergeFollowsApflow) {
  EXPECT_EQ(inject(R"({"x":0})", R"([{"id":"a"},{"id":"c"}])", kResults, "merge"),
            R"({"x":1,"c":[1,2]})");
  EXPECT_EQ(inject("{}", R"(["a"])", kResults, "merge", "aggregate_results_executor"),
            R"({"a":{"x":1}})");
}

TEST(Injection, AClosedSchemaReceivesOnlyTheKeysItDeclares) {
  rapidjson::Document i, d, r, closed, open;
  i.Parse(R"({"own":0})");
  d.Parse(R"(["a","c"])");
  r.Parse(kResults);
  closed.Parse(R"({"type":"object","properties":{"own":{},"c":{}},"additionalProperties":false})");
  open.Parse(R"({"type":"object","properties":{"own":{}}})");
  auto text = [](const rapidjson::Document& doc) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    doc.Accept(writer);
    return std::string(buffer.GetString());
  };
  EXPECT_EQ(text(inject_results(i, d, r, "by_id", "x", &closed)),
            R"({"own":0,"c":{"result":[1,2]}})");
  EXPECT_EQ(text(inject_results(i, d, r, "merge", "x", &closed)), R"({"own":0,"c":[1,2]})");
  EXPECT_EQ(text(inject_results(i, d, r, "by_id", "x", &open)),
            R"({"own":0,"a":{"x":1},"c":{"result":[1,2]}})");
}

TEST(Injection, NothingToInjectKeepsTheInputs) {
  EXPECT_EQ(inject("null", "[]", "{}", "by_id"), "{}");
}

}  // namespace
}  // namespace apflow::engine
