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
namespace {

bool named(const HttpRequest::value_type& field, std::string_view name) {
  const auto field_name = field.name_string();
  return field_name.size() == name.size() &&
         boost::beast::iequals(field_name, boost::beast::string_view(name.data(), name.size()));
}

}  // namespace

std::string_view header(const HttpRequest& request, std::string_view name) {
  for (const auto& field : request) {
    if (named(field, name)) return {field.value().data(), field.value().size()};
  }
  return {};
}

size_t header_count(const HttpRequest& request, std::string_view name) {
  size_t count = 0;
  for (const auto& field : request) count += named(field, name) ? 1 : 0;
  return count;
}

bool header_lists(const HttpRequest& request, std::string_view name, std::string_view token) {
  for (const auto& field : request) {
    if (named(field, name) &&
        std::string_view(field.value().data(), field.value().size()).find(token) !=
            std::string_view::npos) {
      return true;
    }
  }
  return false;
}

std::string_view path_of(const HttpRequest& request) {
  std::string_view target(request.target().data(), request.target().size());
  return target.substr(0, target.find('?'));
}

}  // namespace apflow::plugins::protocols
