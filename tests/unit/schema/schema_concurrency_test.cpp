// One compiled schema, many threads validating at once: results must not interfere.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "schema/schema.h"

namespace apflow::schema {
namespace {

TEST(SchemaConcurrency, ParallelValidationsAgree) {
  const auto schema = Schema::compile(R"({
    "type": "object",
    "properties": {
      "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
      "when": {"type": "string", "format": "date"},
      "count": {"type": "integer", "minimum": 1}
    },
    "patternProperties": {"^x_[a-z]+$": {"type": "boolean"}},
    "additionalProperties": false,
    "required": ["id"]
  })");
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&schema, &mismatches, t] {
      for (int i = 0; i < 400; ++i) {
        bool good = (i + t) % 2 == 0;
        std::string json = good ? R"({"id": "task_)" + std::to_string(i) +
                                      R"(", "when": "2024-02-29", "count": 3, "x_flag": true})"
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

}  // namespace
}  // namespace apflow::schema
