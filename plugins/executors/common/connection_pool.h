// Idle keep-alive connections by origin, so later calls to the same host skip the TCP and TLS
// handshakes. Bounded per origin and in idle time. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/connection.h"

namespace apflow::plugins::common {

class ConnectionPool {
 public:
  ConnectionPool(size_t max_idle_per_origin, std::chrono::milliseconds idle_timeout)
      : max_idle_(max_idle_per_origin), idle_timeout_(idle_timeout) {}

  // The most recently used idle connection of the origin that still looks usable, or nullptr.
  std::shared_ptr<Connection> take(const std::string& origin) {
    std::lock_guard lock(mutex_);
    auto& idle = idle_[origin];
    while (!idle.empty()) {
      auto connection = std::move(idle.back());
      idle.pop_back();
      if (Clock::now() - connection->idle_since < idle_timeout_ && connection->looks_usable()) {
        return connection;
      }
      connection->close();
    }
    return nullptr;
  }

  void give(const std::string& origin, std::shared_ptr<Connection> connection) {
    std::lock_guard lock(mutex_);
    auto& idle = idle_[origin];
    if (idle.size() >= max_idle_) {
      connection->close();
      return;
    }
    connection->idle_since = Clock::now();
    idle.push_back(std::move(connection));
  }

  void clear() {
    std::lock_guard lock(mutex_);
    for (auto& [origin, idle] : idle_) {
      for (auto& connection : idle) connection->close();
    }
    idle_.clear();
  }

 private:
  std::mutex mutex_;
  size_t max_idle_;
  std::chrono::milliseconds idle_timeout_;
  std::map<std::string, std::vector<std::shared_ptr<Connection>>> idle_;
};

}  // namespace apflow::plugins::common
