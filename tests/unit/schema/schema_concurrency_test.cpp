// One compiled schema, many threads validating at once: results must not interfere. Both
// validation paths are covered: RapidJSON's, and our walker (schemas with patternProperties).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "schema/schema.h"

namespace apflow::schema {
namespace {

constexpr const char* kProperties = R"(
    "type": "object",
    "properties": {
      "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
      "when": {"type": "string", "format": "date"},
      "count": {"type": "integer", "minimum": 1},
      "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "uniqueItems": true}
    },
    "required": ["id"])";

void validate_in_parallel(const Schema& schema, const char* extra_member) {
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        bool good = (i + t) % 2 == 0;
        std::string json = good ? R"({"id": "task_)" + std::to_string(i) +
                                      R"(", "when": "2024-02-29", "count": 3, "tags": ["a", "b"])" +
                                      extra_member + "}"
                                : R"({"id": "Task-)" + std::to_string(i) + R"("})";
        auto violation = schema.validate_json(json);
        if (good == violation.has_value()) ++mismatches;
        if (!good && violation && violation->keyword != "pattern") ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(SchemaConcurrency, RapidJsonPath) {
  const auto schema = Schema::compile(std::string("{") + kProperties + "}");
  validate_in_parallel(schema, "");
}

TEST(SchemaConcurrency, WalkerPath) {
  const auto schema = Schema::compile(
      std::string("{") + kProperties +
      R"(, "patternProperties": {"^x_[a-z]+$": {"type": "boolean"}}, "additionalProperties": false})");
  validate_in_parallel(schema, R"(, "x_flag": true)");
}

}  // namespace
}  // namespace apflow::schema
