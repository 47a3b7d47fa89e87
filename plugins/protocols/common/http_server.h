// The HTTP server core of the HTTP front-ends (MCP Streamable HTTP, A2A): Boost.Beast,
// asynchronous, keep-alive, with the limits, token check and CORS of HttpConfig. The front-end
// gives one handler that answers each HttpExchange (see http_exchange.h).
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "common/http_config.h"
#include "common/http_connection.h"
#include "common/http_exchange.h"
#include "common/http_policy.h"

namespace apflow::plugins::protocols {

class HttpServer {
 public:
  HttpServer(HttpConfig config, HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; throws std::runtime_error naming the address and the reason.
  void listen();
  uint16_t port() const;  // the bound port, once listening

  // Serves until stop(), then lets the requests in flight finish (up to drain_timeout) and
  // returns. Blocks the calling thread; uses config.threads threads in all, each running a loop
  // of its own with its share of the connections: threads sharing one loop contended for its
  // locks (and the timer queue's) on every request.
  void run();
  // Thread-safe and cheap (only sets a flag and wakes run()): usable from a signal watcher.
  void stop() noexcept;

  const HttpConfig& config() const noexcept { return config_; }

 private:
  void accept();
  void shut_down();  // on the first loop: close the listener and every idle connection
  bool all_loops_stopped() const;

  HttpConfig config_;
  HttpPolicy policy_;
  HttpHandler handler_;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> open_connections_{0};
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  std::vector<std::weak_ptr<HttpConnection>> connections_;
  HttpServerContext context_;
  // Last but two: destroying a loop destroys the handlers still queued, and with them the
  // connections, which use everything above.
  std::vector<std::unique_ptr<boost::asio::io_context>> loops_;
  // Keep the loops running while they have no connection yet; released on shut-down.
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> idle_;
  size_t next_loop_ = 0;  // the loop of the next accepted connection (used on the first loop)
  boost::asio::ip::tcp::acceptor acceptor_;  // on the first loop
};

}  // namespace apflow::plugins::protocols
