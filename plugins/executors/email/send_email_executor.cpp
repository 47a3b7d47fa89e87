// send_email_executor: sends an e-mail over SMTP with libcurl (reference §7.3): STARTTLS or
// SMTPS, AUTH, to/cc/bcc, text and HTML bodies, attachments. Server settings come from the
// call, plugins.email or the reference's environment variables. Knows only the SDK, libcurl and
// executors/common.
#include <apflow/sdk/sdk.h>
#include <curl/curl.h>

#include "common/inputs.h"
#include "email_message.h"
#include "smtp_sender.h"
#include "smtp_settings.h"

namespace apflow::plugins::email {
namespace {

namespace sdk = apflow::sdk;

[[noreturn]] void invalid(const std::string& message) {
  throw sdk::Error("GENERAL_INVALID_INPUT", "[send_email_executor] " + message);
}

// Explicit, else smtp with a host, else resend with an API key. The reference tries resend
// first; as resend is not available here, a configured SMTP server wins.
std::string provider_of(const sdk::Json& inputs, const SmtpSettings& settings) {
  std::string provider = sdk::get_string(inputs, "provider");
  if (provider.empty() && !settings.host.empty()) provider = "smtp";
  if (provider.empty() && common::setting(inputs, sdk::Json(), "api_key", "RESEND_API_KEY")) {
    provider = "resend";
  }
  if (provider.empty()) {
    invalid(
        "provider is required: no SMTP server is configured; set plugins.email.smtp_host "
        "(or SMTP_HOST), or give smtp_host in the inputs");
  }
  return provider;
}

class SendEmailExecutor final : public sdk::BlockingExecutor {
 public:
  static constexpr std::string_view kId = "send_email_executor";
  static constexpr std::string_view kName = "Send Email Executor";
  static constexpr std::string_view kDescription =
      "Send an e-mail over SMTP (STARTTLS or SMTPS) with text and HTML bodies and attachments";
  static constexpr std::string_view kInputSchema = R"json({"type":"object","properties":{
    "provider":{"type":"string","enum":["smtp","resend"],"description":"Only smtp is available"},
    "to":{"type":["string","array"],"items":{"type":"string"},"description":"Address or list"},
    "cc":{"type":["string","array"],"items":{"type":"string"}},
    "bcc":{"type":["string","array"],"items":{"type":"string"},
      "description":"Envelope recipients not shown in the headers"},
    "subject":{"type":"string"},
    "from_email":{"type":"string","description":"Default plugins.email.from_email or FROM_EMAIL"},
    "reply_to":{"type":"string"},
    "body":{"type":"string","description":"Plain-text body"},
    "html":{"type":"string","description":"HTML body; with body, sent as multipart/alternative"},
    "attachments":{"type":"array","items":{"type":"object","properties":{
      "filename":{"type":"string","minLength":1},"content_type":{"type":"string"},
      "content_base64":{"type":"string","description":"The file's bytes, base64-encoded"}},
      "required":["filename","content_base64"],"additionalProperties":false}},
    "timeout":{"type":"number","minimum":0,"exclusiveMinimum":true,"default":30},
    "api_key":{"type":"string","description":"Resend only; not available"},
    "smtp_host":{"type":"string"},"smtp_port":{"type":"integer","minimum":1,"maximum":65535},
    "smtp_username":{"type":"string"},
    "smtp_password":{"type":"string","description":"Prefer plugins.email or SMTP_PASSWORD: task inputs are stored"},
    "smtp_use_tls":{"type":"boolean"},
    "security":{"type":"string","enum":["starttls","ssl","none"]}},
   "description":"Other keys (such as injected dependency results) are ignored"})json";
  static constexpr std::string_view kOutputSchema = R"json({"type":"object","properties":{
    "success":{"type":"boolean"},"provider":{"type":"string"},
    "message":{"type":"string","description":"Email sent to <to addresses>"},
    "message_id":{"type":"string"},"recipients":{"type":"integer"}},
   "required":["success","provider","message","message_id","recipients"]})json";
  static constexpr std::string_view kAnnotations =
      R"json({"readonly":false,"destructive":false,"idempotent":false,"open_world":true})json";
  static constexpr std::string_view kTags = R"(["email"])";
  static constexpr std::string_view kExamples = R"([{"title":"A report with an attachment",
      "inputs":{"to":["ops@example.com"],"subject":"Nightly report","body":"See attached.",
                "attachments":[{"filename":"report.csv","content_type":"text/csv",
                                "content_base64":"YSxiCjEsMgo="}]}}])";

  explicit SendEmailExecutor(const sdk::PluginContext& context) {
    config_.CopyFrom(context.config, config_.GetAllocator());
    curl_global_init(CURL_GLOBAL_DEFAULT);  // once, at load, before any worker uses libcurl
  }

  sdk::Json run(const sdk::Json& inputs, sdk::Call& call) override {
    const SmtpSettings settings = SmtpSettings::resolve(inputs, config_);
    const std::string provider = provider_of(inputs, settings);
    const EmailMessage message = read_message(inputs, settings.from_email);
    if (provider == "resend") {
      throw sdk::Error("GENERAL_NOT_IMPLEMENTED",
                       "[send_email_executor] provider resend is not available in this build; "
                       "use provider smtp with an SMTP server");
    }
    if (provider != "smtp") invalid("unknown provider '" + provider + "'; use smtp");
    if (settings.host.empty()) invalid("smtp_host is required for provider smtp");
    call.throw_if_cancelled();
    const SendReceipt receipt =
        send_smtp(message, settings, [&call] { return call.is_cancelled(); });
    auto out = sdk::make_object();
    sdk::set(out, "success", true);
    sdk::set(out, "provider", "smtp");
    std::string to;
    for (const auto& mailbox : message.to) to += (to.empty() ? "" : ", ") + address_of(mailbox);
    sdk::set(out, "message", "Email sent to " + to);
    sdk::set(out, "message_id", receipt.message_id);
    sdk::set(out, "recipients", static_cast<int64_t>(message.recipients().size()));
    return out;
  }

 private:
  sdk::Json config_;
};

}  // namespace
}  // namespace apflow::plugins::email

APFLOW_PLUGIN("email", "0.1.0", APFLOW_EXECUTOR(apflow::plugins::email::SendEmailExecutor),
              APFLOW_DESCRIPTION("send_email_executor: e-mail over SMTP with libcurl"),
              APFLOW_CONFIG_SCHEMA(apflow::plugins::email::kEmailConfigSchema))
