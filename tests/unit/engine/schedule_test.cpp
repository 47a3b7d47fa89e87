// The schedule calculator of reference §10, with the reference's own examples.
#include "engine/schedule.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "engine/clock.h"

namespace apflow::engine::schedule {
namespace {

int64_t at(const std::string& iso) {
  auto ms = parse_iso(iso);
  EXPECT_TRUE(ms.has_value()) << iso;
  return ms.value_or(0);
}

std::string next(const std::string& type, const std::string& expression, const std::string& from) {
  const auto ms = next_run(type, expression, at(from));
  return ms ? iso_utc(*ms) : "none";
}

std::string error_of(const std::string& type, const std::string& expression) {
  try {
    next_run(type, expression, at("2026-01-01T00:00:00Z"));
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Schedule, ParsesIsoTimesWithFractionsAndOffsets) {
  EXPECT_EQ(iso_utc(at("2026-11-26T10:00:00.123Z")), "2026-11-26T10:00:00.123Z");
  EXPECT_EQ(iso_utc(at("2026-11-26T12:30:00+02:00")), "2026-11-26T10:30:00.000Z");
  EXPECT_EQ(iso_utc(at("2026-11-26T10:00")), "2026-11-26T10:00:00.000Z");
  EXPECT_FALSE(parse_iso("2026-02-30T10:00:00Z"));
  EXPECT_FALSE(parse_iso("tomorrow"));
}

TEST(Schedule, OnceRunsOnlyWhileItsTimeIsAhead) {
  EXPECT_EQ(next("once", "2026-12-01T09:00:00Z", "2026-11-26T00:00:00Z"),
            "2026-12-01T09:00:00.000Z");
  EXPECT_EQ(next("once", "2026-12-01T09:00:00Z", "2026-12-02T00:00:00Z"), "none");
}

TEST(Schedule, IntervalAndDaily) {
  EXPECT_EQ(next("interval", "90", "2026-11-26T10:00:00Z"), "2026-11-26T10:01:30.000Z");
  EXPECT_EQ(next("daily", "9:30", "2026-11-26T08:00:00Z"), "2026-11-26T09:30:00.000Z");
  EXPECT_EQ(next("daily", "09:30", "2026-11-26T09:30:00Z"), "2026-11-27T09:30:00.000Z");
}

TEST(Schedule, WeeklyFollowsTheReferenceExamples) {
  // 2024-01-01 was a Monday.
  EXPECT_EQ(next("weekly", "1,3,5 09:00", "2024-01-01T08:00:00Z"), "2024-01-01T09:00:00.000Z");
  EXPECT_EQ(next("weekly", "1,3,5 09:00", "2024-01-01T10:00:00Z"), "2024-01-03T09:00:00.000Z");
  EXPECT_EQ(next("weekly", "1,3,5 09:00", "2024-01-05T10:00:00Z"), "2024-01-08T09:00:00.000Z");
  EXPECT_EQ(next("weekly", "7 00:00", "2024-01-01T00:00:00Z"), "2024-01-07T00:00:00.000Z");
}

TEST(Schedule, MonthlySkipsMonthsWithoutTheDate) {
  EXPECT_EQ(next("monthly", "1,15 09:00", "2024-01-20T00:00:00Z"), "2024-02-01T09:00:00.000Z");
  EXPECT_EQ(next("monthly", "31 12:00", "2024-04-01T00:00:00Z"), "2024-05-31T12:00:00.000Z");
  EXPECT_EQ(next("monthly", "29 00:00", "2023-02-01T00:00:00Z"), "2023-03-29T00:00:00.000Z");
}

TEST(Schedule, CronMatchesFieldsListsRangesAndSteps) {
  EXPECT_EQ(next("cron", "*/15 * * * *", "2026-11-26T10:07:30Z"), "2026-11-26T10:15:00.000Z");
  EXPECT_EQ(next("cron", "0 9-17 * * 1-5", "2026-11-27T18:00:00Z"),  // a Friday evening
            "2026-11-30T09:00:00.000Z");
  EXPECT_EQ(next("cron", "30 6 1 1 *", "2026-11-26T00:00:00Z"), "2027-01-01T06:30:00.000Z");
  EXPECT_EQ(next("cron", "0 0 * * 0", "2026-11-26T00:00:00Z"), "2026-11-29T00:00:00.000Z");
  EXPECT_EQ(next("cron", "0 0 * * 7", "2026-11-26T00:00:00Z"), "2026-11-29T00:00:00.000Z");
  EXPECT_EQ(next("cron", "0 0 29 2 *", "2026-11-26T00:00:00Z"), "2028-02-29T00:00:00.000Z");
  // Day and weekday both restricted: either matches, as in cron.
  EXPECT_EQ(next("cron", "0 0 1 * 1", "2026-11-26T00:00:00Z"), "2026-11-30T00:00:00.000Z");
}

TEST(Schedule, BadExpressionsSayWhatIsWrongAndWhatToWrite) {
  EXPECT_NE(error_of("cron", "* * *").find("3 fields; use 5 fields"), std::string::npos);
  EXPECT_NE(error_of("cron", "61 * * * *").find("'61' in the minute field (allowed 0-59)"),
            std::string::npos);
  EXPECT_NE(error_of("cron", "0 0 31 2 *").find("never matches"), std::string::npos);
  EXPECT_NE(error_of("interval", "0").find("Interval must be positive"), std::string::npos);
  EXPECT_NE(error_of("interval", "soon").find("expected integer seconds"), std::string::npos);
  EXPECT_NE(error_of("daily", "25:00").find("hour 0-23"), std::string::npos);
  EXPECT_NE(error_of("weekly", "8 09:00").find("day '8' must be 1-7"), std::string::npos);
  EXPECT_NE(error_of("once", "next week").find("use an ISO-8601 UTC time"), std::string::npos);
  EXPECT_NE(error_of("hourly", "1").find("Unknown schedule type: hourly"), std::string::npos);
}

}  // namespace
}  // namespace apflow::engine::schedule
