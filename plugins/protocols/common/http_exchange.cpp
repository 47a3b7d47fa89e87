#include "common/http_exchange.h"

namespace apflow::plugins::protocols {

HttpExchange::HttpExchange(std::shared_ptr<HttpConnection> connection, HttpRequest request)
    : connection_(std::move(connection)),
      request_(std::move(request)),
      work_(connection_->work()) {}

HttpExchange::~HttpExchange() {
  if (!answered_) {
    connection_->respond(
        error_response(http::status::internal_server_error, "the request was not answered"));
  } else if (streaming_) {
    connection_->end_stream();
  }
}

void HttpExchange::respond(HttpResponse response) {
  std::lock_guard lock(mutex_);
  if (answered_) return;
  answered_ = true;
  connection_->respond(std::move(response));
  work_.reset();  // the posted write is work of its own
}

void HttpExchange::start_stream(HttpResponse head) {
  std::lock_guard lock(mutex_);
  if (answered_) return;
  answered_ = true;
  streaming_ = true;
  connection_->start_stream(std::move(head));
}

void HttpExchange::send(std::string chunk) {
  std::lock_guard lock(mutex_);
  if (streaming_) connection_->send(std::move(chunk));
}

void HttpExchange::end() {
  std::lock_guard lock(mutex_);
  if (!streaming_) return;
  streaming_ = false;
  connection_->end_stream();
  work_.reset();
}

}  // namespace apflow::plugins::protocols
