#include "rest_settings.h"

#include "common/inputs.h"

namespace apflow::plugins::rest {
namespace {

std::chrono::milliseconds seconds(const rapidjson::Value& config, const char* key,
                                  std::chrono::milliseconds fallback) {
  const double value = sdk::get_double(config, key, static_cast<double>(fallback.count()) / 1000);
  return common::seconds_to_ms(value);
}

}  // namespace

RestSettings RestSettings::from_config(const rapidjson::Value& config) {
  RestSettings s;
  s.allow_loopback = sdk::get_bool(config, "allow_loopback", false);
  s.allow_private = sdk::get_bool(config, "allow_private", false);
  s.allow_link_local = sdk::get_bool(config, "allow_link_local", false);
  s.allow_insecure_tls = sdk::get_bool(config, "allow_insecure_tls", false);
  s.ca_file = sdk::get_string(config, "ca_file");
  s.max_response_bytes = static_cast<size_t>(
      sdk::get_int(config, "max_response_bytes", static_cast<int64_t>(s.max_response_bytes)));
  s.max_redirects = static_cast<int>(sdk::get_int(config, "max_redirects", s.max_redirects));
  s.connect_timeout = seconds(config, "connect_timeout", s.connect_timeout);
  s.default_timeout = seconds(config, "default_timeout", s.default_timeout);
  s.pool_max_idle_per_host = static_cast<size_t>(sdk::get_int(
      config, "pool_max_idle_per_host", static_cast<int64_t>(s.pool_max_idle_per_host)));
  s.pool_idle_timeout = seconds(config, "pool_idle_timeout", s.pool_idle_timeout);
  return s;
}

}  // namespace apflow::plugins::rest
