#include "common/http_policy.h"

#include <algorithm>
#include <cctype>

namespace apflow::plugins::protocols {
namespace {

// Compares in time independent of where the first difference is, so the token cannot be
// guessed byte by byte from response times.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

}  // namespace

bool HttpPolicy::authorized(const HttpRequest& request) const {
  if (config_.token.empty()) return true;
  const std::string_view path = path_of(request);
  if (std::find(config_.public_paths.begin(), config_.public_paths.end(), path) !=
      config_.public_paths.end()) {
    return true;
  }
  std::string_view value = header(request, "Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (value.size() <= kScheme.size()) return false;
  std::string scheme(value.substr(0, kScheme.size()));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), ::tolower);
  if (scheme != "bearer ") return false;
  return same_secret(value.substr(kScheme.size()), config_.token);
}

bool HttpPolicy::cors_allows(std::string_view origin) const {
  return std::any_of(
      config_.cors_origins.begin(), config_.cors_origins.end(),
      [origin](const std::string& allowed) { return allowed == "*" || allowed == origin; });
}

std::optional<HttpResponse> HttpPolicy::screen(const HttpRequest& request) const {
  const std::string_view origin = header(request, "Origin");
  // A preflight carries no credentials, so it is answered before the token check.
  if (request.method() == http::verb::options && !origin.empty() && cors_allows(origin)) {
    HttpResponse preflight{http::status::no_content, request.version()};
    preflight.set(http::field::access_control_allow_methods, "GET, POST, DELETE, OPTIONS");
    preflight.set(http::field::access_control_allow_headers,
                  "Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, "
                  "Last-Event-ID");
    preflight.set(http::field::access_control_max_age, "600");
    return preflight;
  }
  if (!authorized(request)) {
    HttpResponse refused = error_response(http::status::unauthorized, "Unauthorized");
    refused.body() = R"({"error":"Unauthorized","detail":"Missing or invalid Bearer token"})";
    refused.set(http::field::www_authenticate, "Bearer");
    return refused;
  }
  return std::nullopt;
}

void HttpPolicy::decorate(const HttpRequest& request, HttpResponse& response) const {
  decorate(header(request, "Origin"), response.base());
}

void HttpPolicy::decorate(std::string_view origin, http::response_header<>& header) const {
  if (origin.empty() || !cors_allows(origin)) return;
  header.set(http::field::access_control_allow_origin, origin);
  header.set(http::field::vary, "Origin");
  header.set(http::field::access_control_expose_headers, "Mcp-Session-Id, Mcp-Protocol-Version");
}

bool is_local_origin(std::string_view origin) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.substr(0, scheme.size()) != scheme) continue;
    std::string_view host = origin.substr(scheme.size());
    if (host.substr(0, 3) == "[::") {
      host = host.substr(0, host.find(']') + 1);
    } else {
      host = host.substr(0, host.find_first_of(":/"));
    }
    return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
  }
  return false;
}

}  // namespace apflow::plugins::protocols
