// One HTTP request as the shared client sends it (method, URL, headers, body, auth headers,
// timeout, redirect policy), and the rules for following a redirect.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/url.h"

namespace apflow::plugins::common {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  Url url;
  Headers headers;       // the caller's, with Content-Type when there is a body
  Headers auth_headers;  // credentials: sent only to the first URL's origin
  std::string body;
  std::chrono::milliseconds timeout{30000};
  bool verify = true;
  bool follow_redirects = true;
  int max_redirects = 5;
};

// Header names compare without case (RFC 9110 §5.1).
bool iequals(std::string_view a, std::string_view b);

bool is_redirect(int status);

// The next request after a redirect response, following RFC 9110 §15.4: 303 (and 301/302 after
// a POST) become a GET without body; credentials are dropped when the origin changes. Throws
// sdk::Error(<code_prefix>_BAD_REDIRECT) naming `label` for an unusable Location.
HttpRequest redirected(const HttpRequest& request, int status, const std::string& location,
                       const std::string& label = "rest_executor",
                       const std::string& code_prefix = "REST");

}  // namespace apflow::plugins::common
