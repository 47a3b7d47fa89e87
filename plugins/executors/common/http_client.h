// The HTTP/1.1 client behind rest_executor and apflow_api_executor: one io_context thread, a small
// pool of keep-alive connections per origin shared by every call, the SSRF guard, redirects and
// limits. Calls block their (host worker) thread while the io thread does the work, and can be
// cancelled.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/http_request.h"
#include "common/http_settings.h"

namespace apflow::plugins::common {

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::string url;  // the final URL, after redirects
};

class HttpClient {
 public:
  // Throws sdk::Error(<code_prefix>_CONFIG_INVALID) when the ca_file setting cannot be loaded.
  explicit HttpClient(HttpClientSettings settings);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Follows redirects as the request says. Transport failures throw sdk::Error with a
  // <code_prefix>_* code, retryable when a later attempt may succeed; `cancelled` is polled while
  // waiting.
  HttpResponse perform(const HttpRequest& request, const std::function<bool()>& cancelled);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace apflow::plugins::common
