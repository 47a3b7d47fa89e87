#include "common/http_settings.h"

#include "common/inputs.h"

namespace apflow::plugins::common {

void read_client_settings(const rapidjson::Value& config, HttpClientSettings& s) {
  s.allow_loopback = sdk::get_bool(config, "allow_loopback", s.allow_loopback);
  s.allow_private = sdk::get_bool(config, "allow_private", s.allow_private);
  s.allow_link_local = sdk::get_bool(config, "allow_link_local", s.allow_link_local);
  s.ca_file = sdk::get_string(config, "ca_file", s.ca_file);
  s.max_response_bytes = static_cast<size_t>(
      sdk::get_int(config, "max_response_bytes", static_cast<int64_t>(s.max_response_bytes)));
  s.connect_timeout = seconds_setting(config, "connect_timeout", s.connect_timeout);
  s.pool_max_idle_per_host = static_cast<size_t>(sdk::get_int(
      config, "pool_max_idle_per_host", static_cast<int64_t>(s.pool_max_idle_per_host)));
  s.pool_idle_timeout = seconds_setting(config, "pool_idle_timeout", s.pool_idle_timeout);
}

}  // namespace apflow::plugins::common
