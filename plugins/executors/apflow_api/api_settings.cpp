#include "api_settings.h"

#include "common/inputs.h"

namespace apflow::plugins::apflow_api {

ApiSettings ApiSettings::from_config(const rapidjson::Value& config) {
  ApiSettings s;
  s.label = "apflow_api_executor";
  s.code_prefix = "APFLOW_API";
  s.section = "plugins.apflow_api";
  s.user_agent = "apflow-api-executor/0.1";
  common::read_client_settings(config, s);
  s.default_timeout = common::seconds_setting(config, "default_timeout", s.default_timeout);
  s.poll_interval = common::seconds_setting(config, "poll_interval", s.poll_interval);
  s.token = common::setting(rapidjson::Value(rapidjson::kObjectType), config, "token", kTokenEnv)
                .value_or("");
  return s;
}

}  // namespace apflow::plugins::apflow_api
