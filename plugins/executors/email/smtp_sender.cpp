#include "smtp_sender.h"

#include <apflow/sdk/error.h>
#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <memory>
#include <random>

#include "common/base64.h"

namespace apflow::plugins::email {
namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  void operator()(curl_mime* m) const { curl_mime_free(m); }
};
template <typename T>
using Owned = std::unique_ptr<T, CurlDeleter>;

void append(Owned<curl_slist>& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr) throw std::bad_alloc();
  (void)list.release();
  list.reset(grown);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// RFC 2047 encoded-word for subjects that are not plain ASCII.
std::string header_text(const std::string& text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return "=?UTF-8?B?" + common::base64_encode(text) + "?=";
  }
  return text;
}

std::string rfc5322_date() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return text;
}

std::string new_message_id(const std::string& from) {
  static std::atomic<uint64_t> counter{0};
  std::random_device random;
  const std::string address = address_of(from);
  const std::string domain = address.substr(address.find('@') + 1);
  return "<" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) + "." +
         std::to_string(random()) + "." + std::to_string(++counter) + "@" + domain + ">";
}

Owned<curl_slist> headers_of(const EmailMessage& m, const std::string& message_id) {
  Owned<curl_slist> headers;
  append(headers, "Date: " + rfc5322_date());
  append(headers, "From: " + m.from);
  append(headers, "To: " + join(m.to));
  if (!m.cc.empty()) append(headers, "Cc: " + join(m.cc));
  if (!m.reply_to.empty()) append(headers, "Reply-To: " + m.reply_to);
  append(headers, "Subject: " + header_text(m.subject));
  append(headers, "Message-ID: " + message_id);
  append(headers, "MIME-Version: 1.0");
  return headers;
}

void add_text_part(curl_mime* mime, const std::string& text, const char* type) {
  curl_mimepart* part = curl_mime_addpart(mime);
  curl_mime_data(part, text.data(), text.size());
  curl_mime_type(part, type);
  curl_mime_encoder(part, "quoted-printable");  // long lines and 8-bit text survive any relay
}

// multipart/mixed of the body (text, html, or both as multipart/alternative) and attachments.
Owned<curl_mime> mime_of(CURL* curl, const EmailMessage& m) {
  Owned<curl_mime> mime(curl_mime_init(curl));
  if (!m.text.empty() && !m.html.empty()) {
    curl_mime* alternative = curl_mime_init(curl);
    add_text_part(alternative, m.text, "text/plain; charset=utf-8");
    add_text_part(alternative, m.html, "text/html; charset=utf-8");
    curl_mimepart* part = curl_mime_addpart(mime.get());
    curl_mime_subparts(part, alternative);  // now owned by the part
    curl_mime_type(part, "multipart/alternative");
  } else if (!m.text.empty()) {
    add_text_part(mime.get(), m.text, "text/plain; charset=utf-8");
  } else {
    add_text_part(mime.get(), m.html, "text/html; charset=utf-8");
  }
  for (const auto& a : m.attachments) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    curl_mime_data(part, a.bytes.data(), a.bytes.size());
    curl_mime_filename(part, a.filename.c_str());
    curl_mime_type(part, a.content_type.c_str());
    curl_mime_encoder(part, "base64");
  }
  return mime;
}

int on_progress(void* cancelled, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return (*static_cast<const std::function<bool()>*>(cancelled))() ? 1 : 0;
}

void configure(CURL* curl, const SmtpSettings& s) {
  curl_easy_setopt(curl, CURLOPT_URL, s.url().c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // we run on host worker threads
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(s.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<int64_t>(s.timeout.count(), 10000)));
  if (s.security == Security::kStartTls) curl_easy_setopt(curl, CURLOPT_USE_SSL, CURLUSESSL_ALL);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, s.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, s.verify_tls ? 2L : 0L);
  if (!s.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, s.ca_file.c_str());
  if (!s.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, s.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, s.password.c_str());
  }
}

sdk::Error failure(CURLcode code, long reply, const char* detail, const SmtpSettings& s) {
  const std::string server = s.host + ":" + std::to_string(s.port);
  const std::string why = std::string(*detail != '\0' ? detail : curl_easy_strerror(code));
  const std::string reply_text = reply > 0 ? " (SMTP reply " + std::to_string(reply) + ")" : "";
  switch (code) {
    case CURLE_ABORTED_BY_CALLBACK:
      return sdk::Error("EXECUTION_CANCELLED", "the e-mail was cancelled before it was sent");
    case CURLE_LOGIN_DENIED:
      return sdk::Error("SMTP_AUTH_FAILED",
                        "[send_email_executor] the SMTP server " + server + " refused the login" +
                            reply_text + "; check smtp_username and smtp_password",
                        {}, sdk::Retry::kNo);
    case CURLE_OPERATION_TIMEDOUT:
      return sdk::Error(
          "SMTP_TIMEOUT",
          "[send_email_executor] the SMTP server " + server + " did not answer in time: " + why, {},
          sdk::Retry::kYes);
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
      if (reply < 400) {
        return sdk::Error(
            "SMTP_CONNECT_FAILED",
            "[send_email_executor] could not talk to the SMTP server " + server + ": " + why, {},
            sdk::Retry::kYes);
      }
      break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CACERT_BADFILE:
      return sdk::Error("SMTP_TLS_ERROR",
                        "[send_email_executor] TLS with the SMTP server " + server + " failed: " +
                            why + "; check plugins.email.security and plugins.email.ca_file",
                        {}, sdk::Retry::kNo);
    default:
      break;
  }
  // 4xx replies are temporary by definition (RFC 5321 §4.2.1), 5xx permanent.
  return sdk::Error("SMTP_REJECTED",
                    "[send_email_executor] the SMTP server " + server +
                        " rejected the message: " + why + reply_text,
                    {}, reply >= 400 && reply < 500 ? sdk::Retry::kYes : sdk::Retry::kNo);
}

}  // namespace

SendReceipt send_smtp(const EmailMessage& message, const SmtpSettings& settings,
                      const std::function<bool()>& cancelled) {
  Owned<CURL> curl(curl_easy_init());
  if (!curl) throw sdk::Error("GENERAL_INTERNAL_ERROR", "libcurl could not start a transfer");
  configure(curl.get(), settings);
  const std::string from = "<" + address_of(message.from) + ">";
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, from.c_str());
  Owned<curl_slist> recipients;
  for (const auto& address : message.recipients()) append(recipients, "<" + address + ">");
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, recipients.get());
  SendReceipt receipt{new_message_id(message.from)};
  Owned<curl_slist> headers = headers_of(message, receipt.message_id);
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  Owned<curl_mime> mime = mime_of(curl.get(), message);
  curl_easy_setopt(curl.get(), CURLOPT_MIMEPOST, mime.get());
  curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &cancelled);
  char detail[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, detail);
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) {
    long reply = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply);
    throw failure(code, reply, detail, settings);
  }
  return receipt;
}

}  // namespace apflow::plugins::email
