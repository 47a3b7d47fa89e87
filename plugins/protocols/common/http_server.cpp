#include "common/http_server.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "common/allocator_tuning.h"

namespace apflow::plugins::protocols {

namespace net = boost::asio;
using tcp = net::ip::tcp;

HttpServer::HttpServer(HttpConfig config, HttpHandler handler)
    : config_(std::move(config)),
      policy_(config_),
      handler_(std::move(handler)),
      context_{io_,
               config_,
               policy_,
               handler_,
               [this] { return stopping_.load(); },
               [this] { --open_connections_; }},
      acceptor_(io_) {}

HttpServer::~HttpServer() {
  io_.stop();
}

void HttpServer::listen() {
  const std::string where = config_.host + ":" + std::to_string(config_.port);
  try {
    tcp::resolver resolver(io_);
    const auto endpoints =
        resolver.resolve(config_.host, std::to_string(config_.port),
                         tcp::resolver::passive | tcp::resolver::numeric_service);
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot listen on " + where + ": " + e.what());
  }
}

uint16_t HttpServer::port() const {
  return acceptor_.local_endpoint().port();
}

void HttpServer::accept() {
  acceptor_.async_accept(
      net::make_strand(io_), [this](boost::system::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || stopping_) return;
        if (!ec) {
          if (open_connections_.load() >= config_.max_connections) {
            boost::system::error_code ignored;
            socket.close(ignored);  // refusing one client beats starving all of them
          } else {
            ++open_connections_;
            auto connection = std::make_shared<HttpConnection>(std::move(socket), context_);
            {
              std::lock_guard lock(mutex_);
              std::erase_if(connections_, [](const auto& weak) { return weak.expired(); });
              connections_.push_back(connection);
            }
            connection->start();
          }
        }
        accept();
      });
}

void HttpServer::shut_down() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  std::vector<std::weak_ptr<HttpConnection>> connections;
  {
    std::lock_guard lock(mutex_);
    connections.swap(connections_);
  }
  for (const auto& weak : connections) {
    if (auto connection = weak.lock()) connection->stop();
  }
}

void HttpServer::run() {
  tune_allocator_for_serving();
  accept();
  std::vector<std::thread> threads;
  for (int i = 1; i < std::max(1, config_.threads); ++i) {
    threads.emplace_back([this] { io_.run(); });
  }
  std::thread loop([this] { io_.run(); });
  {
    std::unique_lock lock(mutex_);
    stop_cv_.wait(lock, [this] { return stopping_.load(); });
  }
  net::post(io_, [this] { shut_down(); });
  // The loop ends by itself once the last answer is written; calls that take longer than the
  // drain time are abandoned.
  const auto deadline = std::chrono::steady_clock::now() + config_.drain_timeout;
  while (!io_.stopped() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  io_.stop();
  loop.join();
  for (auto& thread : threads) thread.join();
}

void HttpServer::stop() noexcept {
  stopping_ = true;
  // Taking the lock orders the flag before run()'s check; no waiting otherwise.
  { std::lock_guard lock(mutex_); }
  stop_cv_.notify_all();
}

}  // namespace apflow::plugins::protocols
