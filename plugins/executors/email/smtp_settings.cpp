#include "smtp_settings.h"

#include <apflow/sdk/error.h>

#include "common/inputs.h"

namespace apflow::plugins::email {
namespace {

Security security_of(const rapidjson::Value& inputs, const rapidjson::Value& config) {
  // An explicit `security` wins; then the reference's smtp_use_tls (inputs, config, env).
  if (auto security = common::setting(inputs, config, "security", nullptr)) {
    if (*security == "starttls") return Security::kStartTls;
    if (*security == "ssl") return Security::kImplicitTls;
    if (*security == "none") return Security::kNone;
    throw sdk::Error("GENERAL_INVALID_INPUT", "[send_email_executor] security '" + *security +
                                                  "' is unknown; use starttls, ssl or none");
  }
  if (auto use_tls = common::setting(inputs, config, "smtp_use_tls", "SMTP_USE_TLS")) {
    return common::parse_bool(*use_tls, "smtp_use_tls (or SMTP_USE_TLS)") ? Security::kStartTls
                                                                          : Security::kNone;
  }
  return Security::kStartTls;
}

int default_port(Security security) {
  switch (security) {
    case Security::kImplicitTls:
      return 465;
    case Security::kNone:
      return 25;
    case Security::kStartTls:
      break;
  }
  return 587;
}

}  // namespace

SmtpSettings SmtpSettings::resolve(const rapidjson::Value& inputs, const rapidjson::Value& config) {
  SmtpSettings s;
  s.host = common::setting(inputs, config, "smtp_host", "SMTP_HOST").value_or("");
  s.security = security_of(inputs, config);
  s.port = default_port(s.security);
  if (auto port = common::setting(inputs, config, "smtp_port", "SMTP_PORT")) {
    s.port = static_cast<int>(common::parse_int(*port, "smtp_port (or SMTP_PORT)"));
  }
  s.username = common::setting(inputs, config, "smtp_username", "SMTP_USERNAME").value_or("");
  s.password = common::setting(inputs, config, "smtp_password", "SMTP_PASSWORD").value_or("");
  s.from_email = common::setting(inputs, config, "from_email", "FROM_EMAIL").value_or("");
  // Trust settings come from the operator only, never from a call.
  s.verify_tls = sdk::get_bool(config, "verify_tls", true);
  s.ca_file = sdk::get_string(config, "ca_file");
  const double timeout = sdk::get_double(inputs, "timeout", sdk::get_double(config, "timeout", 30));
  s.timeout = common::seconds_to_ms(timeout);
  return s;
}

std::string SmtpSettings::url() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(security == Security::kImplicitTls ? "smtps://" : "smtp://") +
         (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace apflow::plugins::email
