#include "api_settings.h"

#include "common/inputs.h"

namespace apflow::plugins::apflow_api {
namespace {

std::chrono::milliseconds seconds(const rapidjson::Value& config, const char* key,
                                  std::chrono::milliseconds fallback) {
  const double value = sdk::get_double(config, key, static_cast<double>(fallback.count()) / 1000);
  return common::seconds_to_ms(value);
}

}  // namespace

ApiSettings ApiSettings::from_config(const rapidjson::Value& config) {
  ApiSettings s;
  s.label = "apflow_api_executor";
  s.code_prefix = "APFLOW_API";
  s.section = "plugins.apflow_api";
  s.allow_loopback = sdk::get_bool(config, "allow_loopback", false);
  s.allow_private = sdk::get_bool(config, "allow_private", false);
  s.allow_link_local = sdk::get_bool(config, "allow_link_local", false);
  s.ca_file = sdk::get_string(config, "ca_file");
  s.max_response_bytes = static_cast<size_t>(
      sdk::get_int(config, "max_response_bytes", static_cast<int64_t>(s.max_response_bytes)));
  s.connect_timeout = seconds(config, "connect_timeout", s.connect_timeout);
  s.default_timeout = seconds(config, "default_timeout", s.default_timeout);
  s.poll_interval = seconds(config, "poll_interval", s.poll_interval);
  s.token = common::setting(rapidjson::Value(rapidjson::kObjectType), config, "token", kTokenEnv)
                .value_or("");
  return s;
}

}  // namespace apflow::plugins::apflow_api
