#include "email_message.h"

#include <apflow/sdk/error.h>

#include "common/base64.h"
#include "common/inputs.h"

namespace apflow::plugins::email {
namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw sdk::Error("GENERAL_INVALID_INPUT", "[send_email_executor] " + message);
}

// A line break in a header value would let the value add headers (or recipients) of its own.
void check_header_text(const std::string& field, const std::string& value) {
  if (value.find_first_of("\r\n") != std::string::npos) {
    invalid("'" + field + "' contains a line break; remove it");
  }
}

void check_mailbox(const std::string& field, const std::string& mailbox) {
  check_header_text(field, mailbox);
  const std::string address = address_of(mailbox);
  const size_t at = address.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == address.size() ||
      address.find_first_of(" <>,") != std::string::npos) {
    invalid("'" + field + "' has '" + mailbox +
            "', which is not an e-mail address; write name@example.com or Name <name@example.com>");
  }
}

std::vector<std::string> mailboxes(const rapidjson::Value& inputs, const char* key) {
  auto list = common::string_list(inputs, key);
  for (const auto& mailbox : list) check_mailbox(key, mailbox);
  return list;
}

std::vector<Attachment> read_attachments(const rapidjson::Value& inputs) {
  std::vector<Attachment> out;
  if (!inputs.HasMember("attachments")) return out;
  for (const auto& item : inputs["attachments"].GetArray()) {
    Attachment a;
    a.filename = sdk::get_string(item, "filename");
    a.content_type = sdk::get_string(item, "content_type", "application/octet-stream");
    check_header_text("attachments.filename", a.filename);
    check_header_text("attachments.content_type", a.content_type);
    auto bytes = common::base64_decode(sdk::get_string(item, "content_base64"));
    if (!bytes) invalid("attachment '" + a.filename + "' has content_base64 that is not base64");
    a.bytes = std::move(*bytes);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

std::string address_of(const std::string& mailbox) {
  const size_t open = mailbox.rfind('<');
  const size_t close = mailbox.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return mailbox.substr(open + 1, close - open - 1);
  }
  return mailbox;
}

std::vector<std::string> EmailMessage::recipients() const {
  std::vector<std::string> out;
  for (const auto* list : {&to, &cc, &bcc}) {
    for (const auto& mailbox : *list) out.push_back(address_of(mailbox));
  }
  return out;
}

EmailMessage read_message(const rapidjson::Value& inputs, const std::string& from_email) {
  EmailMessage m;
  m.to = mailboxes(inputs, "to");
  if (m.to.empty()) invalid("to is required: give an address or a list of addresses");
  m.subject = sdk::get_string(inputs, "subject");
  if (m.subject.empty()) invalid("subject is required");
  check_header_text("subject", m.subject);
  if (from_email.empty()) {
    invalid(
        "from_email is required: give it in the inputs, in plugins.email.from_email or in "
        "the FROM_EMAIL environment variable");
  }
  m.from = from_email;
  check_mailbox("from_email", m.from);
  m.text = sdk::get_string(inputs, "body");
  m.html = sdk::get_string(inputs, "html");
  if (m.text.empty() && m.html.empty()) invalid("body or html is required");
  m.cc = mailboxes(inputs, "cc");
  m.bcc = mailboxes(inputs, "bcc");
  m.reply_to = sdk::get_string(inputs, "reply_to");
  if (!m.reply_to.empty()) check_mailbox("reply_to", m.reply_to);
  m.attachments = read_attachments(inputs);
  return m;
}

}  // namespace apflow::plugins::email
