// What the shared HTTP client needs to know of its executor's settings: the SSRF guard, TLS
// trust, limits, the connection pool, and the names its errors carry (so that rest_executor
// says REST_TIMEOUT and plugins.rest, apflow_api_executor APFLOW_API_TIMEOUT and
// plugins.apflow_api).
#pragma once

#include <apflow/sdk/json.h>

#include <chrono>
#include <cstddef>
#include <string>

namespace apflow::plugins::common {

struct HttpClientSettings {
  // The SSRF guard: which kinds of address a URL may resolve to besides public ones.
  bool allow_loopback = false;
  bool allow_private = false;
  bool allow_link_local = false;
  std::string ca_file;  // extra trusted CAs (PEM), on top of the system store
  size_t max_response_bytes = 10 << 20;
  std::chrono::milliseconds connect_timeout{10000};
  size_t pool_max_idle_per_host = 4;
  std::chrono::milliseconds pool_idle_timeout{30000};

  // How errors name the executor ("[rest_executor] ..."), prefix their codes (REST_TIMEOUT) and
  // point to its config section (plugins.rest.allow_loopback).
  std::string label = "rest_executor";
  std::string code_prefix = "REST";
  std::string section = "plugins.rest";
  std::string user_agent = "apflow-rest-executor/0.1";
};

// Reads the client's keys of an executor's config section (allow_loopback, allow_private,
// allow_link_local, ca_file, max_response_bytes, connect_timeout, pool_max_idle_per_host,
// pool_idle_timeout) into `settings`; absent keys keep their values.
void read_client_settings(const rapidjson::Value& config, HttpClientSettings& settings);

}  // namespace apflow::plugins::common
