#include "request_inputs.h"

#include <apflow/sdk/error.h>

#include <algorithm>
#include <stdexcept>

#include "common/base64.h"
#include "common/inputs.h"

namespace apflow::plugins::rest {
namespace {

using common::iequals;

[[noreturn]] void invalid(const std::string& message) {
  throw sdk::Error("GENERAL_INVALID_INPUT", "[rest_executor] " + message);
}

bool has_header(const Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return iequals(h.first, name); });
}

// CR or LF in a header would let a value inject headers of its own.
void check_header(const std::string& name, const std::string& value) {
  const auto bad = [](const std::string& s) { return s.find_first_of("\r\n") != s.npos; };
  if (name.empty() || bad(name) || bad(value) || name.find(':') != std::string::npos) {
    invalid("header '" + name + "' has an empty name, a colon or a line break; remove them");
  }
}

std::vector<std::pair<std::string, std::string>> pairs_of(const rapidjson::Value& inputs,
                                                          const char* key) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!inputs.HasMember(key)) return out;
  for (const auto& [name, value] : inputs[key].GetObject()) {
    if (value.IsArray()) {  // ?tag=a&tag=b
      for (const auto& item : value.GetArray()) {
        out.emplace_back(name.GetString(), common::scalar_text(item).value_or(""));
      }
    } else if (!value.IsNull()) {
      auto text = common::scalar_text(value);
      if (!text) invalid("'" + std::string(key) + "." + name.GetString() + "' must be a scalar");
      out.emplace_back(name.GetString(), *text);
    }
  }
  return out;
}

void apply_auth(const rapidjson::Value& auth, HttpRequest& request) {
  const std::string type = sdk::get_string(auth, "type");
  if (type == "bearer") {
    const std::string token = sdk::get_string(auth, "token");
    if (token.empty()) invalid("auth type bearer needs 'token'");
    // An Authorization header the caller set wins, as in the reference.
    if (!has_header(request.headers, "authorization")) {
      request.auth_headers.emplace_back("Authorization", "Bearer " + token);
    }
  } else if (type == "basic") {
    const std::string user = sdk::get_string(auth, "username");
    const std::string password = sdk::get_string(auth, "password");
    if (user.empty() || !auth.HasMember("password")) {
      invalid("auth type basic needs both 'username' and 'password'");
    }
    request.auth_headers.emplace_back("Authorization",
                                      "Basic " + common::base64_encode(user + ":" + password));
  } else if (type == "apikey") {
    const std::string key = sdk::get_string(auth, "key");
    const std::string value = sdk::get_string(auth, "value");
    if (key.empty()) invalid("auth type apikey needs 'key' (the header or parameter name)");
    if (sdk::get_string(auth, "location", "header") == "query") {
      request.url.target =
          common::append_query(request.url.target, common::encode_pairs({{key, value}}));
    } else {
      check_header(key, value);
      request.auth_headers.emplace_back(key, value);
    }
  }
}

void apply_body(const rapidjson::Value& inputs, HttpRequest& request) {
  if (inputs.HasMember("json")) {
    request.body = sdk::to_json(inputs["json"]);
    if (!has_header(request.headers, "content-type")) {
      request.headers.emplace_back("Content-Type", "application/json");
    }
  } else if (inputs.HasMember("data") && inputs["data"].IsObject()) {
    request.body = common::encode_pairs(pairs_of(inputs, "data"));
    if (!has_header(request.headers, "content-type")) {
      request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    }
  } else if (inputs.HasMember("data") || inputs.HasMember("body")) {
    request.body = sdk::get_string(inputs, inputs.HasMember("body") ? "body" : "data");
    if (!has_header(request.headers, "content-type")) {
      request.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    }
  }
}

}  // namespace

HttpRequest build_request(const rapidjson::Value& inputs, const RestSettings& settings) {
  HttpRequest request;
  const std::string url = sdk::get_string(inputs, "url");
  if (url.empty()) invalid("url is required in inputs");
  try {
    request.url = common::parse_url(url);
  } catch (const std::invalid_argument& e) {
    invalid(e.what());
  }
  if (!request.url.userinfo.empty()) {
    invalid("put credentials in 'auth', not in the URL, so they never show in results or logs");
  }
  request.method = sdk::get_string(inputs, "method", "GET");
  std::transform(request.method.begin(), request.method.end(), request.method.begin(), ::toupper);
  request.url.target =
      common::append_query(request.url.target, common::encode_pairs(pairs_of(inputs, "params")));
  for (auto& [name, value] : pairs_of(inputs, "headers")) {
    check_header(name, value);
    request.headers.emplace_back(name, value);
  }
  if (inputs.HasMember("auth")) apply_auth(inputs["auth"], request);
  apply_body(inputs, request);
  const double timeout = sdk::get_double(inputs, "timeout", 0);
  request.timeout = timeout > 0 ? common::seconds_to_ms(timeout) : settings.default_timeout;
  request.verify = sdk::get_bool(inputs, "verify", true);
  if (!request.verify && !settings.allow_insecure_tls) {
    invalid(
        "verify: false is refused; set plugins.rest.allow_insecure_tls: true in apflow.yaml "
        "to allow it, or trust the server's CA with plugins.rest.ca_file");
  }
  request.follow_redirects = sdk::get_bool(inputs, "follow_redirects", true);
  request.max_redirects = static_cast<int>(sdk::get_int(inputs, "max_redirects", -1));
  if (request.max_redirects < 0 || request.max_redirects > settings.max_redirects) {
    request.max_redirects = settings.max_redirects;
  }
  return request;
}

}  // namespace apflow::plugins::rest
