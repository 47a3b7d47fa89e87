// Checks every request passes before a front-end sees it: bearer token and CORS.
#pragma once

#include <optional>

#include "common/http_config.h"
#include "common/http_types.h"

namespace apflow::plugins::protocols {

class HttpPolicy {
 public:
  explicit HttpPolicy(const HttpConfig& config) : config_(config) {}

  // The refusal to send instead of handing the request on (401, or the answer to a CORS
  // preflight), or nothing when the request may go on.
  std::optional<HttpResponse> screen(const HttpRequest& request) const;
  // Adds the CORS headers a response to this request needs (none when CORS is off or the
  // origin is not allowed).
  void decorate(const HttpRequest& request, HttpResponse& response) const;
  // The same for a request whose Origin header was `origin` ("" when it had none).
  void decorate(std::string_view origin, http::response_header<>& header) const;

  // True when the request carries the configured token (always true without one).
  bool authorized(const HttpRequest& request) const;
  bool cors_allows(std::string_view origin) const;

 private:
  const HttpConfig& config_;
};

// True for an Origin that names this machine (http(s)://localhost, 127.0.0.1 or [::1], any
// port): what a server bound to loopback should accept against DNS rebinding.
bool is_local_origin(std::string_view origin);

}  // namespace apflow::plugins::protocols
