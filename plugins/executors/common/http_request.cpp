#include "common/http_request.h"

#include <apflow/sdk/error.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace apflow::plugins::common {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

HttpRequest redirected(const HttpRequest& request, int status, const std::string& location,
                       const std::string& label, const std::string& code_prefix) {
  HttpRequest next = request;
  try {
    next.url = resolve_reference(request.url, location);
  } catch (const std::invalid_argument& e) {
    throw sdk::Error(code_prefix + "_BAD_REDIRECT", "[" + label + "] the server redirected to '" +
                                                        location +
                                                        "', which is not usable: " + e.what());
  }
  if (status == 303 || ((status == 301 || status == 302) && request.method == "POST")) {
    next.method = request.method == "HEAD" ? "HEAD" : "GET";
    next.body.clear();
    std::erase_if(next.headers, [](const auto& h) { return iequals(h.first, "content-type"); });
  }
  const bool same_origin = next.url.scheme == request.url.scheme &&
                           next.url.host == request.url.host && next.url.port == request.url.port;
  if (!same_origin) {
    next.auth_headers.clear();
    std::erase_if(next.headers, [](const auto& h) {
      return iequals(h.first, "authorization") || iequals(h.first, "cookie") ||
             iequals(h.first, "proxy-authorization");
    });
  }
  return next;
}

}  // namespace apflow::plugins::common
