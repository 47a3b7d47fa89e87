// One client connection of the HTTP server: reads requests one at a time (keep-alive), enforces
// the size and time limits, and writes the answers its exchanges give, whole or streamed.
// Everything runs on the connection's loop (one thread); the public functions post to it.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/http_config.h"
#include "common/http_policy.h"
#include "common/http_types.h"

namespace apflow::plugins::protocols {

class HttpExchange;
using HttpHandler = std::function<void(std::shared_ptr<HttpExchange>)>;

// What a connection needs from its server; lives as long as the server's loops run.
struct HttpServerContext {
  const HttpConfig& config;
  const HttpPolicy& policy;
  const HttpHandler& handler;
  std::function<bool()> stopping;
  std::function<void()> closed;  // a connection ended (for the connection count)
};

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  // `socket` belongs to `loop`, which one thread runs: the connection's handlers run there in
  // turn, so they need no strand.
  HttpConnection(boost::asio::ip::tcp::socket socket, boost::asio::io_context& loop,
                 const HttpServerContext& server);
  ~HttpConnection();

  void start();
  // Closes the connection when it is waiting for a request; otherwise after the answer.
  void stop();

  // Keeps the connection's loop alive while a front-end works on an answer (during shutdown no
  // socket operation may be pending then).
  using Work = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  Work work() const { return boost::asio::make_work_guard(loop_); }

  // Used by HttpExchange; each posts to the connection's loop.
  void respond(HttpResponse response);
  void start_stream(HttpResponse head);
  void send(std::string chunk);
  void end_stream();

 private:
  void read_request();
  void on_header(boost::beast::error_code ec);
  void on_body(boost::beast::error_code ec);
  void dispatch(HttpRequest request);
  void refuse(http::status status, std::string_view message);
  void write_response();
  void write_next_chunk();
  void after_answer(bool keep_alive);
  void close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  boost::asio::io_context& loop_;
  const HttpServerContext& server_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool first_request_ = true;
  bool reading_ = false;
  bool closed_ = false;
  bool keep_alive_ = true;
  // The Origin of the request being answered, for CORS: copying its whole head for this would
  // cost an allocation per header field.
  std::string origin_;
  std::optional<HttpResponse> response_;
  std::string head_;  // the head of response_ as sent (its room kept for the next answer)
  // A streamed answer: its head, then chunks written in order.
  std::optional<http::response<http::empty_body>> stream_head_;
  std::optional<http::response_serializer<http::empty_body>> stream_serializer_;
  std::deque<std::string> chunks_;
  bool writing_ = false;
  bool stream_ended_ = false;
};

}  // namespace apflow::plugins::protocols
