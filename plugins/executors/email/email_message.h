// One e-mail as send_email_executor reads it from its inputs, checked in the reference's order
// (to, subject, from_email, body or html) with messages naming the field to fill in.
#pragma once

#include <apflow/sdk/json.h>

#include <string>
#include <vector>

namespace apflow::plugins::email {

struct Attachment {
  std::string filename;
  std::string content_type;
  std::string bytes;  // decoded
};

struct EmailMessage {
  std::string from;  // "Name <addr>" or "addr"
  std::vector<std::string> to, cc, bcc;
  std::string reply_to;
  std::string subject;
  std::string text, html;
  std::vector<Attachment> attachments;

  // Every envelope recipient: to, cc and bcc (bcc never appears in the headers).
  std::vector<std::string> recipients() const;
};

// from_email: the call's (or the configured/environment default, already resolved).
// Throws sdk::Error(GENERAL_INVALID_INPUT) "[send_email_executor] ...".
EmailMessage read_message(const rapidjson::Value& inputs, const std::string& from_email);

// "addr" from "Name <addr>" or "addr".
std::string address_of(const std::string& mailbox);

}  // namespace apflow::plugins::email
