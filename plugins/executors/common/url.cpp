#include "common/url.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

namespace apflow::plugins::common {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

uint16_t default_port(const std::string& scheme) {
  return scheme == "https" ? 443 : 80;
}

uint16_t parse_port(std::string_view text, std::string_view url) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    throw std::invalid_argument("URL '" + std::string(url) + "' has an invalid port '" +
                                std::string(text) + "'; use a number from 1 to 65535");
  }
  return static_cast<uint16_t>(value);
}

// Splits "host[:port]" or "[v6][:port]" into url.host and url.port.
void parse_host_port(std::string_view authority, std::string_view text, Url& url) {
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      throw std::invalid_argument("URL '" + std::string(text) +
                                  "' has an unclosed '[' in its host");
    }
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        throw std::invalid_argument("URL '" + std::string(text) + "' has text after its IPv6 host");
      }
      port = rest.substr(1);
    }
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) {
    throw std::invalid_argument("URL '" + std::string(text) + "' has no hostname");
  }
  url.host = lower(host);
  url.port = port.empty() ? default_port(url.scheme) : parse_port(port, text);
}

}  // namespace

std::string Url::authority() const {
  std::string out = is_ipv6_literal() ? "[" + host + "]" : host;
  if (port != default_port(scheme)) out += ":" + std::to_string(port);
  return out;
}

std::string Url::to_string() const {
  return scheme + "://" + authority() + target;
}

Url parse_url(std::string_view text) {
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos) {
    throw std::invalid_argument("URL '" + std::string(text) +
                                "' is not absolute; write it as http://host/path or https://...");
  }
  Url url;
  url.scheme = lower(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") {
    throw std::invalid_argument("URL '" + std::string(text) + "' has scheme '" + url.scheme +
                                "'; only http and https are supported");
  }
  std::string_view rest = text.substr(sep + 3);
  rest = rest.substr(0, rest.find('#'));
  const size_t path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    url.userinfo = std::string(authority.substr(0, at));
    authority = authority.substr(at + 1);
  }
  parse_host_port(authority, text, url);
  url.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (url.target.front() == '?') url.target.insert(0, "/");
  for (char c : url.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      throw std::invalid_argument("URL '" + std::string(text) +
                                  "' contains a space or control character; percent-encode it");
    }
  }
  return url;
}

Url resolve_reference(const Url& base, std::string_view location) {
  if (location.find("://") != std::string_view::npos) return parse_url(location);
  if (location.starts_with("//")) return parse_url(base.scheme + ":" + std::string(location));
  Url out = base;
  out.userinfo.clear();
  location = location.substr(0, location.find('#'));
  if (location.starts_with("/")) {
    out.target = std::string(location);
  } else if (location.starts_with("?")) {
    out.target = base.target.substr(0, base.target.find('?')) + std::string(location);
  } else {
    const std::string path = base.target.substr(0, base.target.find('?'));
    out.target = path.substr(0, path.rfind('/') + 1) + std::string(location);
  }
  if (out.target.empty()) out.target = "/";
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string encode_pairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) out += '&';
    out += percent_encode(key) + "=" + percent_encode(value);
  }
  return out;
}

std::string append_query(const std::string& target, std::string_view encoded) {
  if (encoded.empty()) return target;
  const char joiner = target.find('?') == std::string::npos ? '?' : '&';
  return target + joiner + std::string(encoded);
}

}  // namespace apflow::plugins::common
