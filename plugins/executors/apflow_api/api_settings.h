// apflow_api_executor's settings, from its config section plugins.apflow_api: the shared HTTP
// client's (SSRF guard, TLS trust, limits, pool) plus the token and the waiting times.
#pragma once

#include <apflow/sdk/json.h>

#include <chrono>
#include <string>

#include "common/http_settings.h"

namespace apflow::plugins::apflow_api {

struct ApiSettings : common::HttpClientSettings {
  // The bearer token for remote instances when a call gives none: plugins.apflow_api.token, else
  // $APFLOW_API_TOKEN, so that it need not be stored in task inputs.
  std::string token;
  std::chrono::milliseconds default_timeout{300000};
  std::chrono::milliseconds poll_interval{500};

  static ApiSettings from_config(const rapidjson::Value& config);
};

inline constexpr const char* kTokenEnv = "APFLOW_API_TOKEN";

// The JSON Schema of plugins.apflow_api.
inline constexpr const char* kApiConfigSchema = R"json({"type":"object","properties":{
  "token":{"type":"string",
    "description":"Bearer token sent to remote instances when a call gives none (or APFLOW_API_TOKEN)"},
  "allow_loopback":{"type":"boolean","default":false,
    "description":"Allow base URLs that resolve to loopback addresses (127.0.0.0/8, ::1)"},
  "allow_private":{"type":"boolean","default":false,
    "description":"Allow private addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7)"},
  "allow_link_local":{"type":"boolean","default":false,
    "description":"Allow link-local addresses (169.254/16, fe80::/10)"},
  "ca_file":{"type":"string","description":"A PEM file of CAs trusted besides the system store"},
  "max_response_bytes":{"type":"integer","minimum":1,"default":10485760,
    "description":"Largest answer accepted from a remote instance"},
  "connect_timeout":{"type":"number","minimum":0,"exclusiveMinimum":true,"default":10,
    "description":"Seconds to connect and finish the TLS handshake"},
  "default_timeout":{"type":"number","minimum":0,"exclusiveMinimum":true,"default":300,
    "description":"Seconds a remote run may take when a call gives no timeout"},
  "poll_interval":{"type":"number","minimum":0.01,"default":0.5,
    "description":"Seconds between two looks at a remote task"}},
 "additionalProperties":false})json";

}  // namespace apflow::plugins::apflow_api
