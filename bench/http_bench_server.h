// A small keep-alive HTTP/1.1 server for the REST benchmark, in the benchmark's process on
// 127.0.0.1: every request gets 200 and a short JSON body, and the connection stays open for
// the next one. Coroutines on its own threads, so that it does not share the engine's.
#pragma once

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <thread>
#include <vector>

namespace apflow::bench {

class HttpBenchServer {
 public:
  explicit HttpBenchServer(int threads = 1)
      : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    boost::asio::co_spawn(io_, accept(), boost::asio::detached);
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~HttpBenchServer() {
    io_.stop();
    for (auto& thread : threads_) thread.join();
  }
  HttpBenchServer(const HttpBenchServer&) = delete;
  HttpBenchServer& operator=(const HttpBenchServer&) = delete;

  int port() const { return acceptor_.local_endpoint().port(); }
  size_t connections() const { return connections_; }

 private:
  boost::asio::awaitable<void> accept() {
    for (;;) {
      auto socket = co_await acceptor_.async_accept(boost::asio::use_awaitable);
      ++connections_;
      boost::asio::co_spawn(io_, serve(std::move(socket)), boost::asio::detached);
    }
  }

  static boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    try {
      for (;;) {
        http::request<http::string_body> request;
        co_await http::async_read(socket, buffer, request, boost::asio::use_awaitable);
        http::response<http::string_body> response(http::status::ok, request.version());
        response.set(http::field::content_type, "application/json");
        response.body() = R"({"ok":true})";
        response.keep_alive(request.keep_alive());
        response.prepare_payload();
        co_await http::async_write(socket, response, boost::asio::use_awaitable);
        if (!request.keep_alive()) break;
      }
    } catch (const std::exception&) {
      // The client closed the connection: nothing to do.
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  std::atomic<size_t> connections_{0};
};

}  // namespace apflow::bench
