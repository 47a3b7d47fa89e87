// rest_executor: HTTP/1.1 and HTTPS requests with auth, redirects, limits, keep-alive
// connection reuse and the SSRF guard (reference §7.3). Responses other than 429/502/503/504
// are results (success false outside 2xx); those four and transport failures are retryable
// errors. Knows only the SDK and executors/common.
#include <apflow/sdk/sdk.h>

#include "common/http_client.h"
#include "request_inputs.h"
#include "rest_settings.h"

namespace apflow::plugins::rest {
namespace {

namespace sdk = apflow::sdk;
using common::HttpClient;
using common::HttpResponse;

constexpr size_t kDetailsBodyBytes = 4096;

bool is_transient_status(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

sdk::Json headers_object(const Headers& headers) {
  auto out = sdk::make_object();
  for (const auto& [name, value] : headers) {
    const std::string previous = sdk::get_string(out, name.c_str());
    sdk::set(out, name, previous.empty() ? value : previous + ", " + value);
  }
  return out;
}

sdk::Json result_of(const HttpRequest& request, const HttpResponse& response) {
  auto out = sdk::make_object();
  const bool ok = response.status >= 200 && response.status < 300;
  sdk::set(out, "success", ok);
  sdk::set(out, "status_code", response.status);
  sdk::set(out, "url", response.url);
  sdk::set(out, "headers", headers_object(response.headers));
  sdk::set(out, "method", request.method);
  sdk::Json body;
  // JSON first, then text (reference); outside 2xx always the text.
  if (ok && !response.body.empty() &&
      !body.Parse(response.body.data(), response.body.size()).HasParseError()) {
    sdk::set(out, "json", body);
  } else {
    sdk::set(out, "text", response.body);
  }
  return out;
}

class RestExecutor final : public sdk::BlockingExecutor {
 public:
  static constexpr std::string_view kId = "rest_executor";
  static constexpr std::string_view kName = "REST API Executor";
  static constexpr std::string_view kDescription =
      "Execute HTTP/REST API requests with authentication and custom headers";
  static constexpr std::string_view kInputSchema = R"json({"type":"object","properties":{
    "url":{"type":"string","minLength":1,"description":"Absolute http:// or https:// URL"},
    "method":{"type":"string","enum":["GET","POST","PUT","DELETE","PATCH","HEAD","OPTIONS"],
      "default":"GET"},
    "headers":{"type":"object","additionalProperties":{"type":["string","number","boolean"]}},
    "params":{"type":"object","description":"Query parameters; an array value repeats the name"},
    "json":{"description":"Sent as the JSON body (Content-Type application/json)"},
    "data":{"type":["object","string"],
      "description":"An object is sent form-encoded, a string as text; used when json is absent"},
    "body":{"type":"string","description":"A raw text body; set Content-Type in headers"},
    "auth":{"type":"object","properties":{
      "type":{"type":"string","enum":["bearer","basic","apikey"]},
      "token":{"type":"string"},"username":{"type":"string"},"password":{"type":"string"},
      "key":{"type":"string"},"value":{"type":"string"},
      "location":{"type":"string","enum":["header","query"],"default":"header"}},
      "required":["type"],"additionalProperties":false},
    "timeout":{"type":"number","minimum":0,"exclusiveMinimum":true,
      "description":"Seconds for the whole call, redirects included; default plugins.rest.default_timeout"},
    "verify":{"type":"boolean","default":true,
      "description":"Verify the server certificate; false needs plugins.rest.allow_insecure_tls"},
    "follow_redirects":{"type":"boolean","default":true},
    "max_redirects":{"type":"integer","minimum":0,
      "description":"Capped by plugins.rest.max_redirects"}},
   "required":["url"],"description":"Other keys (such as injected dependency results) are ignored"})json";
  static constexpr std::string_view kOutputSchema = R"json({"type":"object","properties":{
    "success":{"type":"boolean","description":"true for a 2xx status"},
    "status_code":{"type":"integer"},"url":{"type":"string","description":"The final URL"},
    "headers":{"type":"object"},"json":{"description":"The body, when it is JSON (2xx only)"},
    "text":{"type":"string","description":"The body otherwise"},"method":{"type":"string"}},
   "required":["success","status_code","url","headers","method"]})json";
  static constexpr std::string_view kAnnotations =
      R"json({"readonly":false,"destructive":true,"idempotent":false,"open_world":true})json";
  static constexpr std::string_view kTags = R"(["http"])";
  static constexpr std::string_view kExamples = R"([{"title":"GET with a bearer token",
      "inputs":{"url":"https://api.example.com/items","params":{"page":2},
                "auth":{"type":"bearer","token":"..."}}}])";

  explicit RestExecutor(const sdk::PluginContext& context)
      : settings_(RestSettings::from_config(context.config)), client_(settings_) {}

  sdk::Json run(const sdk::Json& inputs, sdk::Call& call) override {
    HttpRequest request = build_request(inputs, settings_);
    call.throw_if_cancelled();
    const HttpResponse response = client_.perform(request, [&call] { return call.is_cancelled(); });
    call.throw_if_cancelled();
    sdk::Json result = result_of(request, response);
    if (is_transient_status(response.status)) {
      // The error's details keep the response, its body cut to what a reader needs.
      if (result.HasMember("text") && result["text"].GetStringLength() > kDetailsBodyBytes) {
        sdk::set(result, "text", std::string_view(result["text"].GetString(), kDetailsBodyBytes));
      }
      throw sdk::Error("REST_HTTP_" + std::to_string(response.status),
                       "[rest_executor] " + request.method + " " + response.url +
                           " answered HTTP " + std::to_string(response.status) +
                           ", which is usually temporary; the call may be retried",
                       sdk::to_json(result), sdk::Retry::kYes);
    }
    return result;
  }

 private:
  RestSettings settings_;
  HttpClient client_;
};

}  // namespace
}  // namespace apflow::plugins::rest

APFLOW_PLUGIN("rest", "0.1.0", APFLOW_EXECUTOR(apflow::plugins::rest::RestExecutor),
              APFLOW_DESCRIPTION("rest_executor: HTTP and HTTPS requests"),
              APFLOW_CONFIG_SCHEMA(apflow::plugins::rest::kRestConfigSchema))
