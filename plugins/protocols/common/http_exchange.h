// One HTTP request and the front-end's way to answer it: a whole response, or a streamed one
// (SSE). Thread-safe: answer from any thread, at once or later.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/http_connection.h"
#include "common/http_types.h"

namespace apflow::plugins::protocols {

class HttpExchange {
 public:
  HttpExchange(std::shared_ptr<HttpConnection> connection, HttpRequest request);
  HttpExchange(const HttpExchange&) = delete;
  HttpExchange& operator=(const HttpExchange&) = delete;
  // An exchange dropped unanswered answers 500, so a client never waits forever.
  ~HttpExchange();

  const HttpRequest& request() const noexcept { return request_; }

  // Sends the whole response. Only the first answer counts.
  void respond(HttpResponse response);
  // Starts a streamed response with head's status and headers (its body is ignored); then
  // send() any number of times and end() once.
  void start_stream(HttpResponse head);
  void send(std::string chunk);
  void end();

 private:
  std::shared_ptr<HttpConnection> connection_;
  HttpRequest request_;
  std::optional<HttpConnection::Work> work_;
  std::mutex mutex_;
  bool answered_ = false;
  bool streaming_ = false;  // started and not yet ended
};

}  // namespace apflow::plugins::protocols
