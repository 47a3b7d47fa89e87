#include "engine/schedule.h"

#include <algorithm>
#include <bitset>
#include <charconv>
#include <chrono>
#include <sstream>
#include <vector>

#include "core/error.h"

namespace apflow::engine::schedule {
namespace {

using namespace std::chrono;
constexpr int64_t kMinute = 60'000, kDay = 86'400'000;

[[noreturn]] void invalid(const std::string& message) {
  throw Error(codes::kGeneralInvalidInput, message);
}

std::optional<int> number(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return {};
  return value;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

int64_t day_start(int64_t ms) {
  return ms - ((ms % kDay) + kDay) % kDay;
}

// "H:MM" / "HH:MM" as milliseconds into the day.
int64_t time_of_day(const std::string& text, const std::string& type) {
  const auto parts = split(text, ':');
  const auto hour = parts.size() == 2 ? number(parts[0]) : std::nullopt;
  const auto minute = parts.size() == 2 && parts[1].size() == 2 ? number(parts[1]) : std::nullopt;
  if (!hour || !minute) {
    invalid("Invalid " + type + " time '" + text + "'; use HH:MM (24-hour clock, UTC)");
  }
  if (*hour < 0 || *hour > 23) invalid("Invalid " + type + " time '" + text + "': hour 0-23");
  if (*minute < 0 || *minute > 59) invalid("Invalid " + type + " time '" + text + "': minute 0-59");
  return *hour * 3'600'000LL + *minute * kMinute;
}

// "d[,d...] HH:MM": the listed numbers (each from..to) and the time of day.
std::pair<std::vector<int>, int64_t> days_and_time(const std::string& expression,
                                                   const std::string& type, int from, int to) {
  const auto space = expression.find(' ');
  const std::string usage = type == "weekly" ? "'1,3,5 09:00' (1 = Monday ... 7 = Sunday)"
                                             : "'1,15 09:00' (days of the month 1-31)";
  if (space == std::string::npos) {
    invalid("Invalid " + type + " expression '" + expression + "'; use " + usage);
  }
  std::vector<int> days;
  for (const auto& part : split(expression.substr(0, space), ',')) {
    const auto day = number(part);
    if (!day || *day < from || *day > to) {
      invalid("Invalid " + type + " expression '" + expression + "': day '" + part + "' must be " +
              std::to_string(from) + "-" + std::to_string(to) + "; use " + usage);
    }
    days.push_back(*day);
  }
  std::sort(days.begin(), days.end());
  return {days, time_of_day(expression.substr(space + 1), type)};
}

int iso_weekday(int64_t day_ms) {
  const int64_t days_since_epoch = day_ms / kDay;  // 1970-01-01 was a Thursday (ISO 4)
  return static_cast<int>(((days_since_epoch + 3) % 7 + 7) % 7) + 1;
}

std::optional<int64_t> next_weekly(const std::string& expression, int64_t from) {
  const auto [days, time] = days_and_time(expression, "weekly", 1, 7);
  for (int64_t day = day_start(from); day <= day_start(from) + 8 * kDay; day += kDay) {
    if (std::binary_search(days.begin(), days.end(), iso_weekday(day)) && day + time > from) {
      return day + time;
    }
  }
  return {};  // unreachable: every weekday comes within eight days
}

std::optional<int64_t> next_monthly(const std::string& expression, int64_t from) {
  const auto [dates, time] = days_and_time(expression, "monthly", 1, 31);
  const year_month_day today{sys_days{days{day_start(from) / kDay}}};
  year_month month = today.year() / today.month();
  for (int i = 0; i < 48; ++i, month += months{1}) {
    for (int date : dates) {
      const year_month_day candidate = month / std::chrono::day{static_cast<unsigned>(date)};
      if (!candidate.ok()) continue;  // the 31st of a 30-day month: skipped
      const int64_t at = sys_days{candidate}.time_since_epoch().count() * kDay + time;
      if (at > from) return at;
    }
  }
  return {};
}

// One cron field as the set of values it allows.
struct CronField {
  std::bitset<64> allowed;
  bool restricted = false;  // not "*"
};

CronField parse_cron_field(const std::string& text, int low, int high, const std::string& name) {
  CronField field;
  field.restricted = text != "*";
  for (const auto& item : split(text, ',')) {
    std::string range = item;
    int step = 1;
    if (const auto slash = item.find('/'); slash != std::string::npos) {
      range = item.substr(0, slash);
      const auto parsed = number(item.substr(slash + 1));
      if (!parsed || *parsed < 1) invalid("step '" + item + "' of the " + name + " field");
      step = *parsed;
    }
    int first = low, last = high;
    if (range != "*") {
      const auto dash = range.find('-');
      const auto a = number(range.substr(0, dash));
      const auto b = dash == std::string::npos ? a : number(range.substr(dash + 1));
      if (!a || !b || *a < low || *b > high || *a > *b) {
        invalid("'" + item + "' in the " + name + " field (allowed " + std::to_string(low) + "-" +
                std::to_string(high) + ")");
      }
      first = *a;
      last = item.find('/') != std::string::npos && dash == std::string::npos ? high : *b;
    }
    for (int v = first; v <= last; v += step) field.allowed.set(static_cast<size_t>(v));
  }
  return field;
}

struct Cron {
  CronField minute, hour, day, month, weekday;

  bool day_matches(int64_t day_ms) const {
    const year_month_day date{sys_days{days{day_ms / kDay}}};
    if (!month.allowed.test(static_cast<unsigned>(date.month()))) return false;
    const bool by_date = day.allowed.test(static_cast<unsigned>(date.day()));
    const bool by_weekday = weekday.allowed.test(static_cast<size_t>(iso_weekday(day_ms) % 7));
    if (day.restricted && weekday.restricted) return by_date || by_weekday;
    return by_date && by_weekday;
  }
};

Cron parse_cron(const std::string& expression) {
  const std::string usage =
      "; use 5 fields: minute hour day-of-month month day-of-week, e.g. '*/15 9-17 * * 1-5'";
  std::vector<std::string> fields;
  std::istringstream in(expression);
  for (std::string field; in >> field;) fields.push_back(field);
  if (fields.size() != 5) {
    invalid("Invalid cron expression '" + expression + "': " + std::to_string(fields.size()) +
            " fields" + usage);
  }
  try {
    Cron cron{parse_cron_field(fields[0], 0, 59, "minute"),
              parse_cron_field(fields[1], 0, 23, "hour"),
              parse_cron_field(fields[2], 1, 31, "day-of-month"),
              parse_cron_field(fields[3], 1, 12, "month"),
              parse_cron_field(fields[4], 0, 7, "day-of-week")};
    if (cron.weekday.allowed.test(7)) cron.weekday.allowed.set(0);  // 7 is Sunday too
    return cron;
  } catch (const Error& e) {
    invalid("Invalid cron expression '" + expression + "': " + e.what() + usage);
  }
}

std::optional<int64_t> next_cron(const std::string& expression, int64_t from) {
  const Cron cron = parse_cron(expression);
  const int64_t start = (from / kMinute + 1) * kMinute;  // strictly after, on a minute
  // Five years cover every valid day-and-month combination (29 February included).
  for (int64_t day = day_start(start); day < start + 5 * 366 * kDay; day += kDay) {
    if (!cron.day_matches(day)) continue;
    for (int hour = 0; hour < 24; ++hour) {
      if (!cron.hour.allowed.test(static_cast<size_t>(hour))) continue;
      for (int minute = 0; minute < 60; ++minute) {
        const int64_t at = day + hour * 3'600'000LL + minute * kMinute;
        if (at >= start && cron.minute.allowed.test(static_cast<size_t>(minute))) return at;
      }
    }
  }
  invalid("Invalid cron expression '" + expression + "': it never matches (e.g. 31 February)");
}

}  // namespace

std::optional<int64_t> parse_iso(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &consumed) != 5) {
    return {};
  }
  std::string rest = text.substr(static_cast<size_t>(consumed));
  int64_t millis = 0;
  if (!rest.empty() && rest[0] == ':') {
    int n = 0;
    if (std::sscanf(rest.c_str(), ":%2d%n", &s, &n) != 1) return {};
    rest = rest.substr(static_cast<size_t>(n));
    if (!rest.empty() && rest[0] == '.') {
      size_t digits = 1;
      int64_t scale = 100;
      for (; digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]));
           ++digits, scale /= 10) {
        millis += (rest[digits] - '0') * scale;
      }
      rest = rest.substr(digits);
    }
  }
  int64_t offset = 0;
  if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    const auto oh = number(rest.substr(1, 2)), om = number(rest.substr(4, 2));
    if (!oh || !om) return {};
    offset = (rest[0] == '+' ? 1 : -1) * (*oh * 3'600'000LL + *om * kMinute);
  } else if (!rest.empty() && rest != "Z") {
    return {};
  }
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || s > 59) return {};
  return sys_days{date}.time_since_epoch().count() * kDay + h * 3'600'000LL + mi * kMinute +
         s * 1000LL + millis - offset;
}

std::optional<int64_t> next_run(const std::string& type, const std::string& expression,
                                int64_t from_ms) {
  if (type == "once") {
    const auto at = parse_iso(expression);
    if (!at) {
      invalid("Invalid 'once' expression '" + expression +
              "'; use an ISO-8601 UTC time such as 2026-12-01T09:00:00Z");
    }
    return *at > from_ms ? at : std::nullopt;
  }
  if (type == "interval") {
    const auto seconds = number(expression);
    if (!seconds) invalid("Invalid interval '" + expression + "'; expected integer seconds");
    if (*seconds <= 0) invalid("Interval must be positive; got " + expression);
    return from_ms + *seconds * 1000LL;
  }
  if (type == "daily") {
    const int64_t at = day_start(from_ms) + time_of_day(expression, "daily");
    return at > from_ms ? at : at + kDay;
  }
  if (type == "weekly") return next_weekly(expression, from_ms);
  if (type == "monthly") return next_monthly(expression, from_ms);
  if (type == "cron") return next_cron(expression, from_ms);
  invalid("Unknown schedule type: " + type +
          "; use once, interval, cron, daily, weekly or monthly");
}

}  // namespace apflow::engine::schedule
