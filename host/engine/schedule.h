// Schedules (reference §10): when a scheduled task runs next. Every time is Unix milliseconds,
// computed in UTC.
//
//   once      ISO-8601 time ("2026-12-01T09:00:00Z")   that time, if still ahead
//   interval  whole seconds > 0 ("3600")                from + N s
//   cron      5 fields: minute hour day month weekday   the next matching minute
//             (*, lists, ranges a-b, steps */n and a-b/n; weekday 0-7, 0 and 7 = Sunday;
//             when both day and weekday are restricted, either may match, as in cron)
//   daily     "H:MM" or "HH:MM"                         today at that time if ahead, else tomorrow
//   weekly    "d[,d...] HH:MM", d 1-7 (1 = Monday)      the first such weekday and time ahead
//   monthly   "D[,D...] HH:MM", D 1-31                  the first such date ahead (months without
//                                                       that date are skipped)
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace apflow::engine::schedule {

// The first run strictly after `from_ms`, or nothing when the schedule has no run left (a
// `once` time already past). Throws Error(GENERAL_INVALID_INPUT) saying what is wrong with the
// type or expression and what is expected.
std::optional<int64_t> next_run(const std::string& type, const std::string& expression,
                                int64_t from_ms);

// Parses an ISO-8601 UTC time ("2026-12-01T09:00:00Z", optional fraction, "Z" or "+00:00");
// nothing when the text is not one.
std::optional<int64_t> parse_iso(const std::string& text);

}  // namespace apflow::engine::schedule
