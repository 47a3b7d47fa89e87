#include "common/http_types.h"

#include <apflow/sdk/json.h>

#include <boost/beast/core/string.hpp>

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

// A walk through the few fields of a request, by length first: Beast's find() compares names
// case-insensitively along its ordered set, which cost several hundred instructions a lookup.
std::string_view header(const HttpRequest& request, std::string_view name) {
  for (const auto& field : request) {
    const auto field_name = field.name_string();
    if (field_name.size() == name.size() &&
        boost::beast::iequals(field_name, boost::beast::string_view(name.data(), name.size()))) {
      return {field.value().data(), field.value().size()};
    }
  }
  return {};
}

std::string_view path_of(const HttpRequest& request) {
  std::string_view target(request.target().data(), request.target().size());
  return target.substr(0, target.find('?'));
}

}  // namespace apflow::plugins::protocols
