#include "schema/format.h"

#include <arpa/inet.h>

#include <cctype>
#include <regex>

namespace apflow::schema::detail {
namespace {

bool digits(std::string_view text, std::size_t pos, std::size_t count, int* value) {
  if (pos + count > text.size()) return false;
  int result = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    result = result * 10 + (text[i] - '0');
  }
  *value = result;
  return true;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool is_date(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  if (!digits(text, 0, 4, &year) || !digits(text, 5, 2, &month) || !digits(text, 8, 2, &day)) {
    return false;
  }
  return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

// HH:MM:SS[.frac] followed by an offset when `need_offset` ("Z" or +HH:MM).
bool is_time(std::string_view text, bool need_offset) {
  int hour = 0, minute = 0, second = 0;
  if (text.size() < 8 || text[2] != ':' || text[5] != ':') return false;
  if (!digits(text, 0, 2, &hour) || !digits(text, 3, 2, &minute) || !digits(text, 6, 2, &second)) {
    return false;
  }
  if (hour > 23 || minute > 59 || second > 60) return false;
  std::size_t pos = 8;
  if (pos < text.size() && text[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start) return false;
  }
  std::string_view offset = text.substr(pos);
  if (offset.empty()) return !need_offset;
  if (offset == "Z" || offset == "z") return true;
  int oh = 0, om = 0;
  return offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') && offset[3] == ':' &&
         digits(offset, 1, 2, &oh) && digits(offset, 4, 2, &om) && oh <= 23 && om <= 59;
}

bool is_date_time(std::string_view text) {
  if (text.size() < 20) return false;
  char separator = text[10];
  if (separator != 'T' && separator != 't' && separator != ' ') return false;
  return is_date(text.substr(0, 10)) && is_time(text.substr(11), true);
}

bool is_ipv4(std::string_view text) {
  int parts = 0;
  std::size_t pos = 0;
  while (parts < 4) {
    std::size_t start = pos;
    int value = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) &&
           pos - start < 3) {
      value = value * 10 + (text[pos++] - '0');
    }
    std::size_t length = pos - start;
    if (length == 0 || value > 255 || (length > 1 && text[start] == '0')) return false;
    if (++parts < 4) {
      if (pos >= text.size() || text[pos] != '.') return false;
      ++pos;
    }
  }
  return pos == text.size();
}

bool is_ipv6(std::string_view text) {
  std::string copy(text);
  unsigned char buffer[16];
  return inet_pton(AF_INET6, copy.c_str(), buffer) == 1;
}

bool is_hostname(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t dot = text.find('.', start);
    std::string_view label = text.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

bool has_space(std::string_view text) {
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) ||
        std::iscntrl(static_cast<unsigned char>(c))) {
      return true;
    }
  }
  return false;
}

bool is_email(std::string_view text) {
  auto at = text.rfind('@');
  if (at == std::string_view::npos || at == 0 || has_space(text)) return false;
  return is_hostname(text.substr(at + 1)) && text.substr(0, at).find('@') == std::string::npos;
}

bool is_uri(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || has_space(text)) return false;
  if (!std::isalpha(static_cast<unsigned char>(text[0]))) return false;
  for (char c : text.substr(0, colon)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

bool is_regex(std::string_view text) {
  try {
    std::regex compiled{std::string(text), std::regex::ECMAScript};
  } catch (const std::regex_error&) {
    return false;
  }
  return true;
}

}  // namespace

bool format_matches(std::string_view format, std::string_view text) {
  if (format == "date-time") return is_date_time(text);
  if (format == "date") return is_date(text);
  if (format == "time") return is_time(text, false);
  if (format == "email") return is_email(text);
  if (format == "hostname") return is_hostname(text);
  if (format == "ipv4") return is_ipv4(text);
  if (format == "ipv6") return is_ipv6(text);
  if (format == "uri") return is_uri(text);
  if (format == "uri-reference") return !has_space(text);
  if (format == "uuid") return is_uuid(text);
  if (format == "regex") return is_regex(text);
  return true;
}

std::string format_example(std::string_view format) {
  if (format == "date-time") return "an RFC 3339 date-time such as 2024-05-01T12:00:00Z";
  if (format == "date") return "a date such as 2024-05-01";
  if (format == "time") return "a time such as 12:00:00";
  if (format == "email") return "an email address such as ops@example.com";
  if (format == "hostname") return "a host name such as api.example.com";
  if (format == "ipv4") return "an IPv4 address such as 192.0.2.1";
  if (format == "ipv6") return "an IPv6 address such as 2001:db8::1";
  if (format == "uri") return "an absolute URI such as https://example.com/x";
  if (format == "uuid") return "a UUID such as 123e4567-e89b-12d3-a456-426614174000";
  return "a valid " + std::string(format);
}

}  // namespace apflow::schema::detail
