// rest_executor's settings, from its config section plugins.rest.
#pragma once

#include <apflow/sdk/json.h>

#include <chrono>

#include "common/http_settings.h"

namespace apflow::plugins::rest {

// The client's settings (SSRF guard, TLS trust, limits, pool) plus what only rest_executor
// reads from its inputs.
struct RestSettings : common::HttpClientSettings {
  bool allow_insecure_tls = false;  // lets a call ask for verify: false
  int max_redirects = 5;
  std::chrono::milliseconds default_timeout{30000};

  static RestSettings from_config(const rapidjson::Value& config);
};

// The JSON Schema of plugins.rest.
inline constexpr const char* kRestConfigSchema = R"json({"type":"object","properties":{
  "allow_loopback":{"type":"boolean","default":false,
    "description":"Allow URLs that resolve to loopback addresses (127.0.0.0/8, ::1)"},
  "allow_private":{"type":"boolean","default":false,
    "description":"Allow private addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7)"},
  "allow_link_local":{"type":"boolean","default":false,
    "description":"Allow link-local addresses (169.254/16, fe80::/10), cloud metadata included"},
  "allow_insecure_tls":{"type":"boolean","default":false,
    "description":"Let a call turn certificate verification off with verify: false"},
  "ca_file":{"type":"string","description":"A PEM file of CAs trusted besides the system store"},
  "max_response_bytes":{"type":"integer","minimum":1,"default":10485760,
    "description":"Largest response body accepted"},
  "max_redirects":{"type":"integer","minimum":0,"maximum":50,"default":5},
  "connect_timeout":{"type":"number","minimum":0,"exclusiveMinimum":true,"default":10,
    "description":"Seconds to connect and finish the TLS handshake"},
  "default_timeout":{"type":"number","minimum":0,"exclusiveMinimum":true,"default":30,
    "description":"Seconds a whole call may take when it gives no timeout"},
  "pool_max_idle_per_host":{"type":"integer","minimum":0,"default":4,
    "description":"Idle keep-alive connections kept per host for later calls; 0 turns reuse off"},
  "pool_idle_timeout":{"type":"number","minimum":0,"default":30,
    "description":"Seconds an idle connection is kept"}},
 "additionalProperties":false})json";

}  // namespace apflow::plugins::rest
