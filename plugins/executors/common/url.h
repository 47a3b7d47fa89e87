// URLs as the executors need them: split into parts, resolved against a base (redirects) and
// percent-encoded (query strings, form bodies).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace apflow::plugins::common {

struct Url {
  std::string scheme;  // lowercase: "http" or "https"
  std::string host;    // without brackets for IPv6 literals
  uint16_t port = 0;   // explicit or the scheme's default
  std::string target;  // path and query, "/" at least; never the fragment
  std::string userinfo;

  bool is_ipv6_literal() const { return host.find(':') != std::string::npos; }
  // host[:port] as the Host header wants it (the port only when not the default).
  std::string authority() const;
  std::string to_string() const;  // without the user info
};

// Parses an absolute http(s) URL; throws std::invalid_argument saying what is wrong.
Url parse_url(std::string_view text);

// The URL a Location header points to, relative to `base` (RFC 3986 §5.2, simplified: absolute,
// scheme-relative, absolute-path and relative-path references).
Url resolve_reference(const Url& base, std::string_view location);

// application/x-www-form-urlencoded-safe percent-encoding (space as %20).
std::string percent_encode(std::string_view text);

// "a=1&b=2" from pairs, each side percent-encoded.
std::string encode_pairs(const std::vector<std::pair<std::string, std::string>>& pairs);

// target with the encoded pairs appended to its query.
std::string append_query(const std::string& target, std::string_view encoded);

}  // namespace apflow::plugins::common
