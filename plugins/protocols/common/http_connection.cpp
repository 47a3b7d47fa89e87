#include "common/http_connection.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <array>

#include "common/http_exchange.h"

namespace apflow::plugins::protocols {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

bool is_http_error(const beast::error_code& ec) {
  return ec.category() == beast::http::make_error_code(http::error::bad_method).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

}  // namespace

HttpConnection::HttpConnection(tcp::socket socket, net::io_context& loop,
                               const HttpServerContext& server)
    : stream_(std::move(socket)), loop_(loop), server_(server) {
  beast::error_code ignored;
  // Answers are small and latency matters more than packet count.
  stream_.socket().set_option(tcp::no_delay(true), ignored);
}

HttpConnection::~HttpConnection() {
  server_.closed();
}

void HttpConnection::start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
}

void HttpConnection::stop() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    // A request being answered finishes first; after_answer then closes.
    if (self->reading_) self->close();
  });
}

void HttpConnection::read_request() {
  if (closed_) return;
  if (server_.stopping()) return close();
  parser_.emplace();
  parser_->body_limit(server_.config.body_limit);
  parser_->header_limit(static_cast<std::uint32_t>(server_.config.header_limit));
  stream_.expires_after(first_request_ ? server_.config.header_timeout
                                       : server_.config.idle_timeout);
  reading_ = true;
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void HttpConnection::on_header(beast::error_code ec) {
  reading_ = false;
  if (ec == http::error::body_limit)
    return refuse(http::status::payload_too_large, "Payload Too Large");
  if (ec == http::error::header_limit) {
    return refuse(http::status::request_header_fields_too_large, "Request Header Fields Too Large");
  }
  if (ec) return is_http_error(ec) ? refuse(http::status::bad_request, "Bad Request") : close();
  const auto& head = parser_->get();
  const bool expects_continue = beast::iequals(head[http::field::expect], "100-continue");
  // A body that has arrived whole with its head (a small POST nearly always does) is parsed at
  // once: an asynchronous read would only find it in the buffer, a turn of the loop later.
  const auto length = parser_->content_length();
  if (!expects_continue && length && *length <= buffer_.size()) {
    beast::error_code read_ec;
    http::read(stream_, buffer_, *parser_, read_ec);  // reads nothing from the socket
    return on_body(read_ec);
  }
  auto on_body = [self = shared_from_this()](beast::error_code e, std::size_t) {
    self->on_body(e);
  };
  stream_.expires_after(server_.config.body_timeout);
  reading_ = true;
  if (expects_continue) {
    // curl waits for this before sending a large body; without it every such request would
    // stall for a second.
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    net::async_write(stream_, net::buffer(kContinue),
                     [self = shared_from_this(), on_body](beast::error_code e, std::size_t) {
                       if (e) return self->close();
                       http::async_read(self->stream_, self->buffer_, *self->parser_, on_body);
                     });
    return;
  }
  http::async_read(stream_, buffer_, *parser_, on_body);
}

void HttpConnection::on_body(beast::error_code ec) {
  reading_ = false;
  if (ec == http::error::body_limit)
    return refuse(http::status::payload_too_large, "Payload Too Large");
  if (ec) return is_http_error(ec) ? refuse(http::status::bad_request, "Bad Request") : close();
  // No limit while the front-end works on the answer: a tool call may take long.
  stream_.expires_never();
  dispatch(parser_->release());
}

void HttpConnection::dispatch(HttpRequest request) {
  first_request_ = false;
  keep_alive_ = request.keep_alive();
  origin_ = header(request, "Origin");
  if (auto refusal = server_.policy.screen(request)) {
    response_.emplace(std::move(*refusal));
    return write_response();
  }
  auto exchange = std::make_shared<HttpExchange>(shared_from_this(), std::move(request));
  try {
    server_.handler(exchange);
  } catch (const std::exception& e) {
    exchange->respond(error_response(http::status::internal_server_error, e.what()));
  }
}

void HttpConnection::refuse(http::status status, std::string_view message) {
  // The rest of the request was not read, so the connection cannot carry another one.
  keep_alive_ = false;
  response_.emplace(error_response(status, message));
  write_response();
}

void HttpConnection::respond(HttpResponse response) {
  // An answer made on the connection's loop (an instant module, a refusal) is written at
  // once; queueing it would cost a hand-off through the loop.
  net::dispatch(stream_.get_executor(),
                [self = shared_from_this(), response = std::move(response)]() mutable {
                  self->response_.emplace(std::move(response));
                  self->write_response();
                });
}

void HttpConnection::write_response() {
  if (closed_) return;
  HttpResponse& response = *response_;
  keep_alive_ = keep_alive_ && !server_.stopping();
  response.version(11);
  response.keep_alive(keep_alive_);
  server_.policy.decorate(origin_, response.base());
  response.prepare_payload();
  // The head written here as Beast's serializer writes it, and sent with the body in one
  // gather write: the serializer's buffer sequences cost more than the rest of the answer.
  const unsigned code = response.result_int();
  head_.assign("HTTP/1.1 ");
  for (const unsigned digit : {code / 100 % 10, code / 10 % 10, code % 10}) {
    head_ += static_cast<char>('0' + digit);
  }
  head_ += ' ';
  head_.append(response.reason());
  head_ += "\r\n";
  for (const auto& field : response) {
    head_.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
  }
  head_ += "\r\n";
  stream_.expires_after(server_.config.write_timeout);
  const std::array<net::const_buffer, 2> message{net::buffer(head_), net::buffer(response.body())};
  net::async_write(stream_, message,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     self->response_.reset();
                     if (ec) return self->close();
                     self->after_answer(self->keep_alive_);
                   });
}

void HttpConnection::start_stream(HttpResponse head) {
  net::post(stream_.get_executor(), [self = shared_from_this(), head = std::move(head)] {
    if (self->closed_) return;
    auto& out = self->stream_head_.emplace(head.result(), 11);
    for (const auto& field : head) out.set(field.name_string(), field.value());
    self->keep_alive_ = self->keep_alive_ && !self->server_.stopping();
    out.keep_alive(self->keep_alive_);
    out.chunked(true);
    self->server_.policy.decorate(self->origin_, out.base());
    self->stream_serializer_.emplace(out);
    self->writing_ = true;
    self->stream_.expires_after(self->server_.config.write_timeout);
    http::async_write_header(self->stream_, *self->stream_serializer_,
                             [self](beast::error_code ec, std::size_t) {
                               self->writing_ = false;
                               if (ec) return self->close();
                               self->write_next_chunk();
                             });
  });
}

void HttpConnection::send(std::string chunk) {
  net::post(stream_.get_executor(),
            [self = shared_from_this(), chunk = std::move(chunk)]() mutable {
              // A stream whose client is gone (a GET stream can outlive it by the session's
              // life) must not pile up what it can no longer send.
              if (self->closed_) return;
              self->chunks_.push_back(std::move(chunk));
              self->write_next_chunk();
            });
}

void HttpConnection::end_stream() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stream_ended_ = true;
    self->write_next_chunk();
  });
}

void HttpConnection::write_next_chunk() {
  if (closed_ || writing_ || !stream_head_) return;
  auto done = [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->writing_ = false;
    self->stream_.expires_never();  // the stream may rest until the next event
    if (ec) return self->close();
    self->write_next_chunk();
  };
  stream_.expires_after(server_.config.write_timeout);
  if (!chunks_.empty()) {
    auto text = std::make_shared<std::string>(std::move(chunks_.front()));
    chunks_.pop_front();
    writing_ = true;
    net::async_write(stream_, http::make_chunk(net::buffer(*text)),
                     [done, text](beast::error_code ec, std::size_t n) { done(ec, n); });
    return;
  }
  if (!stream_ended_) return stream_.expires_never();
  writing_ = true;
  net::async_write(stream_, http::make_chunk_last(),
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     self->writing_ = false;
                     self->stream_serializer_.reset();
                     self->stream_head_.reset();
                     self->stream_ended_ = false;
                     if (ec) return self->close();
                     self->after_answer(self->keep_alive_);
                   });
}

void HttpConnection::after_answer(bool keep_alive) {
  if (!keep_alive || server_.stopping()) return close();
  read_request();
}

void HttpConnection::close() {
  if (closed_) return;
  closed_ = true;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.close();
}

}  // namespace apflow::plugins::protocols
