#include "explorer/module_api.h"

#include <boost/beast/core/string.hpp>

#include <chrono>
#include <optional>

#include "common/call_error.h"
#include "explorer/api_reply.h"

namespace apflow::plugins::explorer {
namespace {

namespace http = protocols::http;

// Why a call's body cannot be used as a module input, or nothing when it can. Requiring a
// JSON content type also makes a cross-site form post impossible: it needs a CORS preflight.
std::optional<std::string> input_problem(const protocols::HttpRequest& request,
                                         http::status& status) {
  const std::string_view type = protocols::header(request, "Content-Type");
  if (!boost::beast::iequals(type.substr(0, 16), "application/json")) {
    status = http::status::unsupported_media_type;
    return "Unsupported Media Type: send the module input as application/json";
  }
  status = http::status::bad_request;
  const std::string& body = request.body();
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;  // {}
  sdk::Json input;
  input.Parse(body.data(), body.size());
  if (input.HasParseError()) {
    return "Invalid JSON: the body is not JSON (offset " + std::to_string(input.GetErrorOffset()) +
           ": " + rapidjson::GetParseError_En(input.GetParseError()) + ")";
  }
  if (!input.IsObject()) return std::string("Invalid input: a module input is a JSON object");
  return std::nullopt;
}

}  // namespace

ModuleApi::ModuleApi(const sdk::Host& host, CallsInFlight& calls) : calls_(calls) {
  sdk::Json modules = host.list_modules();
  if (!modules.IsArray()) modules.SetArray();
  std::string list = R"({"modules":[)";
  for (const auto& module : modules.GetArray()) {
    descriptors_.emplace(sdk::get_string(module, "module_id"), sdk::to_json(module));
  }
  bool first = true;
  for (const auto& [id, json] : descriptors_) {  // sorted by id, as the page lists them
    if (!first) list += ",";
    list += json;
    first = false;
  }
  list_json_ = list + "]}";
}

void ModuleApi::list(const std::shared_ptr<protocols::HttpExchange>& exchange) const {
  exchange->respond(api_json(http::status::ok, list_json_));
}

void ModuleApi::describe(const std::shared_ptr<protocols::HttpExchange>& exchange,
                         const std::string& module_id) const {
  const auto it = descriptors_.find(module_id);
  if (it == descriptors_.end()) {
    return exchange->respond(api_error(http::status::not_found, "Module not found: " + module_id));
  }
  exchange->respond(api_json(http::status::ok, it->second));
}

void ModuleApi::call(const std::shared_ptr<protocols::HttpExchange>& exchange,
                     const std::string& module_id) const {
  if (descriptors_.count(module_id) == 0) {
    return exchange->respond(api_error(http::status::not_found, "Module not found: " + module_id));
  }
  http::status status = http::status::ok;
  if (auto problem = input_problem(exchange->request(), status)) {
    return exchange->respond(api_error(status, *problem));
  }
  const std::string& body = exchange->request().body();
  const bool empty = body.find_first_not_of(" \t\r\n") == std::string::npos;
  const auto started = std::chrono::steady_clock::now();
  calls_.start(module_id, empty ? std::string_view("{}") : std::string_view(body),
               [exchange, started](sdk::CallResult result) {
                 const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - started);
                 std::string answer = R"({"ok":)" + std::string(result.ok() ? "true" : "false") +
                                      R"(,"duration_ms":)" + std::to_string(elapsed.count());
                 if (result.ok()) {
                   answer += R"(,"output":)" + (result.output.empty() ? "null" : result.output);
                 } else {
                   answer += R"(,"error":)" + sdk::to_json(protocols::call_error(result));
                 }
                 exchange->respond(api_json(http::status::ok, answer + "}"));
               });
}

}  // namespace apflow::plugins::explorer
