// Settings of an HTTP front-end (MCP, A2A): where it listens and what it lets through.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace apflow::plugins::protocols {

struct HttpConfig {
  // Loopback unless the user asks otherwise: an agent-facing API must not be reachable from
  // the network by accident.
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: any free port (HttpServer::port() tells which)
  // When not empty, every request outside public_paths needs "Authorization: Bearer <token>".
  std::string token;
  std::vector<std::string> public_paths = {"/health"};
  // Origins whose browser pages may call the server (CORS); "*" allows any; empty: CORS off.
  std::vector<std::string> cors_origins;

  size_t body_limit = 4 * 1024 * 1024;  // larger bodies get 413
  size_t header_limit = 32 * 1024;      // larger headers get 431
  // A client gets this long to send a whole request head; a slow or silent one is dropped.
  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
  // An idle keep-alive connection is closed after this.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds body_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};
  // On stop, calls in flight get this long to finish before the server gives up on them.
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(30)};
  size_t max_connections = 1024;  // further clients are closed at once
  int threads = 2;
};

}  // namespace apflow::plugins::protocols
