// Where and how send_email_executor reaches its SMTP server: each value from the call's inputs,
// else plugins.email in apflow.yaml, else the reference's environment variables (SMTP_HOST,
// SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD, SMTP_USE_TLS, FROM_EMAIL).
#pragma once

#include <apflow/sdk/json.h>

#include <chrono>
#include <string>

namespace apflow::plugins::email {

enum class Security { kStartTls, kImplicitTls, kNone };

struct SmtpSettings {
  std::string host;
  int port = 587;
  std::string username;
  std::string password;  // never logged, never in an error or a result
  Security security = Security::kStartTls;
  bool verify_tls = true;
  std::string ca_file;
  std::string from_email;
  std::chrono::milliseconds timeout{30000};

  // Throws sdk::Error(GENERAL_INVALID_INPUT) for values it cannot read, naming their source.
  static SmtpSettings resolve(const rapidjson::Value& inputs, const rapidjson::Value& config);
  // "smtp://host:port" or "smtps://host:port".
  std::string url() const;
};

inline constexpr const char* kEmailConfigSchema = R"json({"type":"object","properties":{
  "smtp_host":{"type":"string","description":"SMTP server; env SMTP_HOST"},
  "smtp_port":{"type":"integer","minimum":1,"maximum":65535,
    "description":"Default 587 (starttls), 465 (ssl) or 25 (none); env SMTP_PORT"},
  "smtp_username":{"type":"string","description":"env SMTP_USERNAME"},
  "smtp_password":{"type":"string","description":"env SMTP_PASSWORD; prefer ${VAR} expansion"},
  "security":{"type":"string","enum":["starttls","ssl","none"],
    "description":"starttls (default; required, not opportunistic), ssl (SMTPS) or none"},
  "smtp_use_tls":{"type":"boolean","description":"The reference's switch: false means security none; env SMTP_USE_TLS"},
  "verify_tls":{"type":"boolean","default":true,"description":"Verify the server's certificate"},
  "ca_file":{"type":"string","description":"PEM file of CAs to trust instead of the system store"},
  "from_email":{"type":"string","description":"Default sender; env FROM_EMAIL"},
  "timeout":{"type":"number","minimum":0,"exclusiveMinimum":true,"default":30,
    "description":"Seconds for the whole delivery"}},
 "additionalProperties":false})json";

}  // namespace apflow::plugins::email
