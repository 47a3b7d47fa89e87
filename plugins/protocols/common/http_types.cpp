#include "common/http_types.h"

#include <apflow/sdk/json.h>

namespace apflow::plugins::protocols {

HttpResponse make_response(http::status status, std::string body, std::string_view content_type) {
  HttpResponse response{status, 11};
  response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  return response;
}

HttpResponse error_response(http::status status, std::string_view message) {
  sdk::Json body = sdk::make_object();
  sdk::set(body, "error", message);
  return make_response(status, sdk::to_json(body));
}

std::string_view header(const HttpRequest& request, std::string_view name) {
  auto it = request.find(name);
  if (it == request.end()) return {};
  return {it->value().data(), it->value().size()};
}

std::string_view path_of(const HttpRequest& request) {
  std::string_view target(request.target().data(), request.target().size());
  return target.substr(0, target.find('?'));
}

}  // namespace apflow::plugins::protocols
