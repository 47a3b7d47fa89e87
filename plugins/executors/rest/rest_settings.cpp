#include "rest_settings.h"

#include "common/inputs.h"

namespace apflow::plugins::rest {

RestSettings RestSettings::from_config(const rapidjson::Value& config) {
  RestSettings s;
  common::read_client_settings(config, s);
  s.allow_insecure_tls = sdk::get_bool(config, "allow_insecure_tls", false);
  s.max_redirects = static_cast<int>(sdk::get_int(config, "max_redirects", s.max_redirects));
  s.default_timeout = common::seconds_setting(config, "default_timeout", s.default_timeout);
  return s;
}

}  // namespace apflow::plugins::rest
