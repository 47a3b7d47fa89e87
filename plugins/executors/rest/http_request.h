// One rest_executor call as the HTTP client needs it, built from the call's inputs: method, URL
// with query, headers, body, auth, timeouts and redirect policy.
#pragma once

#include <apflow/sdk/json.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "common/url.h"
#include "rest_settings.h"

namespace apflow::plugins::rest {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  common::Url url;
  Headers headers;       // the caller's, with Content-Type when there is a body
  Headers auth_headers;  // from `auth`: sent only to the first URL's origin
  std::string body;
  std::chrono::milliseconds timeout{30000};
  bool verify = true;
  bool follow_redirects = true;
  int max_redirects = 5;
};

// Throws sdk::Error(GENERAL_INVALID_INPUT) naming the field and what to write instead.
HttpRequest build_request(const rapidjson::Value& inputs, const RestSettings& settings);

// The next request after a redirect response, following RFC 9110 §15.4: 303 (and 301/302 after
// a POST) become a GET without body; credentials are dropped when the origin changes.
HttpRequest redirected(const HttpRequest& request, int status, const std::string& location);

bool is_redirect(int status);

}  // namespace apflow::plugins::rest
