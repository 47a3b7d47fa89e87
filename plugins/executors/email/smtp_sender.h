// Delivers an EmailMessage over SMTP with libcurl (SMTPS or required STARTTLS, AUTH, MIME
// multipart/alternative and attachments). The password goes to libcurl only.
#pragma once

#include <functional>
#include <string>

#include "email_message.h"
#include "smtp_settings.h"

namespace apflow::plugins::email {

struct SendReceipt {
  std::string message_id;
};

// Throws sdk::Error: SMTP_REJECTED (the server said no; its reply is in the message),
// SMTP_CONNECT_FAILED, SMTP_TIMEOUT, SMTP_TLS_ERROR, SMTP_AUTH_FAILED, or EXECUTION_CANCELLED.
SendReceipt send_smtp(const EmailMessage& message, const SmtpSettings& settings,
                      const std::function<bool()>& cancelled);

}  // namespace apflow::plugins::email
