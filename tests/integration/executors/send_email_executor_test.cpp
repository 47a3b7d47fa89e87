// send_email_executor through the real host against a real SMTP server (aiosmtpd) on 127.0.0.1,
// which writes every message it accepts, parsed, to a temp dir.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "background_server.h"
#include "executor_host.h"

namespace apflow::testing {
namespace {

class SendEmail : public ::testing::Test {
 protected:
  // Starts the SMTP server with `flags` and the host with plugins.email = base + `extra`.
  void start(std::vector<std::string> flags, const std::string& security,
             const std::string& extra = "") {
    std::vector<std::string> argv{python(), script("smtp_test_server.py"), "--out",
                                  (dir_ / "out").string()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    server_ = std::make_unique<BackgroundServer>(argv);
    host_ = std::make_unique<ExecutorHost>(
        dir_, "plugins:\n  email:\n    smtp_host: 127.0.0.1\n    smtp_port: " +
                  std::to_string(server_->port()) + "\n    security: " + security +
                  "\n    from_email: Reports <reports@example.com>\n" + extra);
  }
  std::string tls_flags_ca() const { return (dir_ / "tls" / "ca.pem").string(); }
  registry::CallOutcome send(const std::string& input) {
    return host_->call("apflow.send_email_executor", input);
  }
  rapidjson::Document received(int n = 1) {
    std::ifstream file(dir_ / "out" / ("msg-" + std::to_string(n) + ".json"));
    std::stringstream text;
    text << file.rdbuf();
    return parse(text.str().empty() ? "{}" : text.str());
  }

  std::filesystem::path dir_ = test_dir("email");
  std::unique_ptr<BackgroundServer> server_;
  std::unique_ptr<ExecutorHost> host_;
};

TEST_F(SendEmail, RecipientsReachTheEnvelopeAndOnlyToAndCcTheHeaders) {
  start({}, "none");
  auto outcome = send(R"({"to":["a@example.com","Bee <b@example.com>"],"cc":"c@example.com",
      "bcc":["d@example.com"],"reply_to":"help@example.com","subject":"Grüße from apflow",
      "body":"Hello,\nplain text."})");
  ASSERT_TRUE(outcome.ok()) << outcome.error_code << ": " << outcome.error_message;
  auto result = parse(outcome.output_json);
  EXPECT_STREQ(result["message"].GetString(), "Email sent to a@example.com, b@example.com");
  EXPECT_EQ(result["recipients"].GetInt(), 4);
  EXPECT_STREQ(result["provider"].GetString(), "smtp");

  auto mail = received();
  EXPECT_STREQ(mail["mail_from"].GetString(), "reports@example.com");
  ASSERT_EQ(mail["rcpt_tos"].Size(), 4u);
  EXPECT_STREQ(mail["rcpt_tos"][3].GetString(), "d@example.com");
  const auto& headers = mail["headers"];
  EXPECT_STREQ(headers["to"].GetString(), "a@example.com, Bee <b@example.com>");
  EXPECT_STREQ(headers["cc"].GetString(), "c@example.com");
  EXPECT_FALSE(headers.HasMember("bcc"));
  EXPECT_STREQ(headers["from"].GetString(), "Reports <reports@example.com>");
  EXPECT_STREQ(headers["reply-to"].GetString(), "help@example.com");
  EXPECT_STREQ(headers["subject"].GetString(), "Grüße from apflow");
  EXPECT_STREQ(headers["message-id"].GetString(), result["message_id"].GetString());
  EXPECT_TRUE(headers.HasMember("date"));
  EXPECT_STREQ(mail["text"].GetString(), "Hello,\nplain text.");
}

TEST_F(SendEmail, TextAndHtmlAreAlternativesAndAttachmentsArrive) {
  start({}, "none");
  auto outcome = send(R"({"to":"a@example.com","subject":"Report","body":"See the table.",
      "html":"<p>See the <b>table</b>.</p>","attachments":[
        {"filename":"data.csv","content_type":"text/csv","content_base64":"YSxiCjEsMgo="},
        {"filename":"blob.bin","content_base64":"AAEC/w=="}]})");
  ASSERT_TRUE(outcome.ok()) << outcome.error_message;
  auto mail = received();
  EXPECT_STREQ(mail["content_type"].GetString(), "multipart/mixed");
  EXPECT_TRUE(mail["alternative"].GetBool());
  EXPECT_STREQ(mail["text"].GetString(), "See the table.");
  EXPECT_STREQ(mail["html"].GetString(), "<p>See the <b>table</b>.</p>");
  ASSERT_EQ(mail["attachments"].Size(), 2u);
  EXPECT_STREQ(mail["attachments"][0]["filename"].GetString(), "data.csv");
  EXPECT_STREQ(mail["attachments"][0]["content_type"].GetString(), "text/csv");
  EXPECT_STREQ(mail["attachments"][0]["base64"].GetString(), "YSxiCjEsMgo=");
  EXPECT_STREQ(mail["attachments"][1]["content_type"].GetString(), "application/octet-stream");
  EXPECT_STREQ(mail["attachments"][1]["base64"].GetString(), "AAEC/w==");
}

TEST_F(SendEmail, ARejectedRecipientFailsTheCallWithTheServersReply) {
  start({"--reject", "gone@example.com"}, "none");
  auto outcome = send(R"({"to":["a@example.com","gone@example.com"],"subject":"x","body":"y"})");
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error_code, "SMTP_REJECTED");
  EXPECT_NE(outcome.error_message.find("rejected the message"), std::string::npos)
      << outcome.error_message;
  EXPECT_NE(outcome.error_message.find("550"), std::string::npos) << outcome.error_message;
  EXPECT_FALSE(outcome.retryable);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out" / "msg-1.json"));
}

TEST_F(SendEmail, StartTlsWithAuthDelivers) {
  start({"--tls-dir", (dir_ / "tls").string(), "--auth", "mailer:s3cret-pw"}, "starttls",
        "    ca_file: " + tls_flags_ca() +
            "\n    smtp_username: mailer\n"
            "    smtp_password: s3cret-pw\n");
  auto outcome = send(R"({"to":"a@example.com","subject":"secure","body":"over TLS"})");
  ASSERT_TRUE(outcome.ok()) << outcome.error_code << ": " << outcome.error_message;
  auto mail = received();
  EXPECT_TRUE(mail["tls"].GetBool());
  EXPECT_TRUE(mail["authenticated"].GetBool());
}

TEST_F(SendEmail, AWrongPasswordFailsWithoutShowingIt) {
  start({"--tls-dir", (dir_ / "tls").string(), "--auth", "mailer:right-pw"}, "starttls",
        "    ca_file: " + tls_flags_ca() + "\n    smtp_username: mailer\n");
  auto outcome =
      send(R"({"to":"a@example.com","subject":"s","body":"b","smtp_password":"Wr0ng-Secret-77"})");
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error_code, "SMTP_AUTH_FAILED") << outcome.error_message;
  EXPECT_EQ(outcome.error_message.find("Wr0ng-Secret-77"), std::string::npos);
  EXPECT_EQ(outcome.error_details_json.find("Wr0ng-Secret-77"), std::string::npos);
}

TEST_F(SendEmail, ImplicitTlsDelivers) {
  start({"--tls-dir", (dir_ / "tls").string(), "--implicit-tls"}, "ssl",
        "    ca_file: " + tls_flags_ca() + "\n");
  auto outcome = send(R"({"to":"a@example.com","subject":"smtps","html":"<i>hi</i>"})");
  ASSERT_TRUE(outcome.ok()) << outcome.error_code << ": " << outcome.error_message;
  auto mail = received();
  EXPECT_TRUE(mail["tls"].GetBool());
  EXPECT_STREQ(mail["html"].GetString(), "<i>hi</i>");
}

TEST_F(SendEmail, AnUnknownCaFailsTheTlsHandshake) {
  start({"--tls-dir", (dir_ / "tls").string()}, "starttls");
  auto outcome = send(R"({"to":"a@example.com","subject":"s","body":"b"})");
  EXPECT_EQ(outcome.error_code, "SMTP_TLS_ERROR") << outcome.error_message;
  EXPECT_NE(outcome.error_message.find("plugins.email.ca_file"), std::string::npos);
}

TEST_F(SendEmail, StartTlsIsRequiredNotOpportunistic) {
  start({}, "starttls");  // the server offers no STARTTLS
  auto outcome = send(R"({"to":"a@example.com","subject":"s","body":"b"})");
  EXPECT_EQ(outcome.error_code, "SMTP_TLS_ERROR") << outcome.error_message;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out" / "msg-1.json"));
}

TEST_F(SendEmail, MissingFieldsAreNamedInTheReferencesOrder) {
  start({}, "none");
  EXPECT_NE(send(R"({"subject":"s","body":"b"})").error_message.find("to is required"),
            std::string::npos);
  EXPECT_NE(send(R"({"to":"a@example.com","body":"b"})").error_message.find("subject is required"),
            std::string::npos);
  EXPECT_NE(send(R"({"to":"a@example.com","subject":"s"})")
                .error_message.find("body or html is required"),
            std::string::npos);
  auto bad = send(R"({"to":"not-an-address","subject":"s","body":"b"})");
  EXPECT_EQ(bad.error_code, "GENERAL_INVALID_INPUT");
  EXPECT_NE(bad.error_message.find("'not-an-address'"), std::string::npos);
  auto injected = send(R"({"to":"a@example.com","subject":"s\r\nBcc: x@evil.test","body":"b"})");
  EXPECT_NE(injected.error_message.find("line break"), std::string::npos);
}

TEST_F(SendEmail, WithoutAServerTheProviderIsMissing) {
  host_ = std::make_unique<ExecutorHost>(dir_, "{}\n");
  unsetenv("SMTP_HOST");
  auto outcome = send(R"({"to":"a@example.com","subject":"s","body":"b"})");
  EXPECT_EQ(outcome.error_code, "GENERAL_INVALID_INPUT");
  EXPECT_NE(outcome.error_message.find("provider is required"), std::string::npos);
  EXPECT_NE(outcome.error_message.find("plugins.email.smtp_host"), std::string::npos);
}

TEST_F(SendEmail, EnvironmentVariablesAreTheLastFallback) {
  std::vector<std::string> argv{python(), script("smtp_test_server.py"), "--out",
                                (dir_ / "out").string()};
  server_ = std::make_unique<BackgroundServer>(argv);
  host_ = std::make_unique<ExecutorHost>(dir_, "{}\n");
  setenv("SMTP_HOST", "127.0.0.1", 1);
  setenv("SMTP_PORT", std::to_string(server_->port()).c_str(), 1);
  setenv("SMTP_USE_TLS", "false", 1);
  setenv("FROM_EMAIL", "env@example.com", 1);
  auto outcome = send(R"({"to":"a@example.com","subject":"s","body":"b"})");
  for (const char* name : {"SMTP_HOST", "SMTP_PORT", "SMTP_USE_TLS", "FROM_EMAIL"}) unsetenv(name);
  ASSERT_TRUE(outcome.ok()) << outcome.error_message;
  EXPECT_STREQ(received()["mail_from"].GetString(), "env@example.com");
}

}  // namespace
}  // namespace apflow::testing
