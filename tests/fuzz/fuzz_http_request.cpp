// libFuzzer target: the HTTP request path without sockets. Bytes go through Beast's parser
// with the server's limits (as HttpConnection reads), then the policy every request passes
// (token, CORS preflight and headers) and the helpers the front-ends read requests with.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>

#include "common/http_config.h"
#include "common/http_policy.h"
#include "common/http_types.h"

namespace protocols = apflow::plugins::protocols;
namespace http = boost::beast::http;

namespace {

const protocols::HttpConfig& config() {
  static const protocols::HttpConfig instance = [] {
    protocols::HttpConfig c;
    c.token = "fuzz-token";
    c.cors_origins = {"https://app.example", "*"};
    c.body_limit = 64 * 1024;
    return c;
  }();
  return instance;
}

void use(const protocols::HttpRequest& request) {
  static const protocols::HttpPolicy policy(config());
  if (auto refusal = policy.screen(request)) refusal->prepare_payload();
  protocols::HttpResponse response = protocols::make_response(http::status::ok, "{}");
  policy.decorate(request, response);
  response.prepare_payload();
  (void)protocols::path_of(request);
  (void)protocols::is_local_origin(protocols::header(request, "Origin"));
  (void)request.keep_alive();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(config().body_limit);
  parser.header_limit(static_cast<std::uint32_t>(config().header_limit));
  parser.eager(true);
  boost::beast::error_code ec;
  size_t offset = 0;
  // Fed in two pieces, as bytes arrive from a socket; bounded by the input's size.
  const size_t split = size > 0 ? data[0] % (size + 1) : 0;
  for (size_t end : {split, size}) {
    while (!ec && offset < end && !parser.is_done()) {
      const size_t used = parser.put(boost::asio::buffer(data + offset, end - offset), ec);
      if (ec == http::error::need_more) ec = {};
      if (used == 0) break;
      offset += used;
    }
  }
  if (!ec && parser.is_done()) use(parser.get());
  return 0;
}
