// A2A over HTTP: the agent card at /.well-known/agent-card.json (and the 0.3 shape at
// /.well-known/agent.json), JSON-RPC at POST /, streams as text/event-stream, and /health.
#pragma once

#include <apflow/sdk/host.h>

#include <memory>
#include <string>

#include "a2a/a2a_service.h"
#include "common/http_server.h"
#include "explorer/explorer.h"

namespace apflow::plugins::a2a {

class A2aServer {
 public:
  A2aServer(sdk::Host host, protocols::HttpConfig config);

  void listen();            // throws std::runtime_error when the address cannot be bound
  std::string url() const;  // http://host:port/, once listening
  void run();               // until stop(); then stops the calls still running
  void stop() noexcept { server_.stop(); }
  // Serves the explorer's paths (/explorer/...) from `explorer`, which outlives the server
  // (its owner stops it with the server).
  void mount(explorer::Explorer* explorer) { explorer_ = explorer; }

 private:
  void handle(const std::shared_ptr<protocols::HttpExchange>& exchange);
  void post(const std::shared_ptr<protocols::HttpExchange>& exchange);
  void stream(const std::shared_ptr<protocols::HttpExchange>& exchange,
              const protocols::jsonrpc::Message& message, const Method& method);
  void card(const std::shared_ptr<protocols::HttpExchange>& exchange, bool legacy);

  sdk::Host host_;
  sdk::Json modules_;
  A2aService service_;
  protocols::HttpServer server_;
  std::string card_, legacy_card_;  // built once listening, when the URL is known
  explorer::Explorer* explorer_ = nullptr;
};

}  // namespace apflow::plugins::a2a
