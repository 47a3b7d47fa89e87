#include "common/http_server.h"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "common/allocator_tuning.h"

namespace apflow::plugins::protocols {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// One thread runs each loop (the hint lets Asio skip waking others for its work).
std::vector<std::unique_ptr<net::io_context>> make_loops(int threads) {
  std::vector<std::unique_ptr<net::io_context>> loops;
  for (int i = 0; i < std::max(1, threads); ++i) {
    loops.push_back(std::make_unique<net::io_context>(1));
  }
  return loops;
}

}  // namespace

HttpServer::HttpServer(HttpConfig config, HttpHandler handler)
    : config_(std::move(config)),
      policy_(config_),
      handler_(std::move(handler)),
      context_{config_, policy_, handler_, [this] { return stopping_.load(); },
               [this] { --open_connections_; }},
      loops_(make_loops(config_.threads)),
      acceptor_(*loops_.front()) {
  for (auto& loop : loops_) idle_.push_back(net::make_work_guard(*loop));
}

HttpServer::~HttpServer() {
  for (auto& loop : loops_) loop->stop();
}

void HttpServer::listen() {
  const std::string where = config_.host + ":" + std::to_string(config_.port);
  try {
    tcp::resolver resolver(*loops_.front());
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
  net::io_context& loop = *loops_[next_loop_];
  next_loop_ = (next_loop_ + 1) % loops_.size();
  acceptor_.async_accept(loop, [this, &loop](boost::system::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || stopping_) return;
    if (!ec) {
      if (open_connections_.load() >= config_.max_connections) {
        boost::system::error_code ignored;
        socket.close(ignored);  // refusing one client beats starving all of them
      } else {
        ++open_connections_;
        auto connection = std::make_shared<HttpConnection>(std::move(socket), loop, context_);
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
  idle_.clear();
}

bool HttpServer::all_loops_stopped() const {
  return std::all_of(loops_.begin(), loops_.end(),
                     [](const auto& loop) { return loop->stopped(); });
}

void HttpServer::run() {
  tune_allocator_for_serving();
  accept();
  std::vector<std::thread> threads;
  for (auto& loop : loops_) threads.emplace_back([&loop] { loop->run(); });
  {
    std::unique_lock lock(mutex_);
    stop_cv_.wait(lock, [this] { return stopping_.load(); });
  }
  net::post(*loops_.front(), [this] { shut_down(); });
  // Each loop ends by itself once its last answer is written; calls that take longer than the
  // drain time are abandoned.
  const auto deadline = std::chrono::steady_clock::now() + config_.drain_timeout;
  while (!all_loops_stopped() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& loop : loops_) loop->stop();
  for (auto& thread : threads) thread.join();
}

void HttpServer::stop() noexcept {
  stopping_ = true;
  // Taking the lock orders the flag before run()'s check; no waiting otherwise.
  { std::lock_guard lock(mutex_); }
  stop_cv_.notify_all();
}

}  // namespace apflow::plugins::protocols
