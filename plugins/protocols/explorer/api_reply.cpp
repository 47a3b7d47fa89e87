#include "explorer/api_reply.h"

#include "common/call_error.h"

namespace apflow::plugins::explorer {

namespace http = protocols::http;

protocols::HttpResponse api_json(http::status status, std::string body) {
  protocols::HttpResponse response = protocols::make_response(status, std::move(body));
  // Task states change all the time; a cached answer would show a stale graph.
  response.set(http::field::cache_control, "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  return response;
}

protocols::HttpResponse api_error(http::status status, std::string_view message) {
  sdk::Json body = sdk::make_object();
  sdk::set(body, "error", message);
  return api_json(status, sdk::to_json(body));
}

protocols::HttpResponse failed_read(const sdk::CallResult& result) {
  sdk::Json body = protocols::call_error(result);
  sdk::set(body, "error", result.message);
  http::status status = http::status::internal_server_error;
  if (result.code.ends_with("NOT_FOUND")) {
    status = http::status::not_found;
  } else if (result.code == "SCHEMA_VALIDATION_ERROR" || result.code == "GENERAL_INVALID_INPUT") {
    status = http::status::unprocessable_entity;
  }
  return api_json(status, sdk::to_json(body));
}

}  // namespace apflow::plugins::explorer
