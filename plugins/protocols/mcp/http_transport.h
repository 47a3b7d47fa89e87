// MCP Streamable HTTP at /mcp: sessions by MCP-Session-Id, answers as application/json or,
// when the caller asked for progress, text/event-stream; Origin checked against DNS rebinding.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/http_server.h"
#include "explorer/explorer.h"
#include "mcp/mcp_session.h"

namespace apflow::plugins::mcp {

class HttpTransport {
 public:
  // allowed_origins: browser origins accepted besides this machine's (CORS origins count too).
  HttpTransport(const McpContext& context, protocols::HttpConfig config,
                std::vector<std::string> allowed_origins);

  // Serves the explorer's paths (/explorer/...) from `explorer`, which outlives the transport
  // (its owner stops it with the transport).
  void mount(explorer::Explorer* explorer) { explorer_ = explorer; }

  void listen();            // throws std::runtime_error when the address cannot be bound
  std::string url() const;  // http://host:port/mcp, once listening
  void run();               // until stop(); then finishes the calls in flight
  // Ends the GET streams (they would hold the drain for its whole time) and stops the server.
  void stop() noexcept;

 private:
  void handle(const std::shared_ptr<protocols::HttpExchange>& exchange);
  void post(const std::shared_ptr<protocols::HttpExchange>& exchange);
  void remove(const std::shared_ptr<protocols::HttpExchange>& exchange);
  // GET: the session's stream for messages not tied to a request (its log messages).
  void listen_stream(const std::shared_ptr<protocols::HttpExchange>& exchange);
  bool origin_allowed(std::string_view origin) const;
  std::shared_ptr<McpSession> find_session(std::string_view id);
  // The new session's id, or "" when there are too many sessions.
  std::string open_session(std::shared_ptr<McpSession> session);

  // A session is kept while used; one idle this long with no call running is forgotten, since
  // clients often vanish without DELETE.
  struct Entry {
    std::shared_ptr<McpSession> session;
    std::chrono::steady_clock::time_point last_used;
  };

  const McpContext& context_;
  std::vector<std::string> allowed_origins_;
  explorer::Explorer* explorer_ = nullptr;
  protocols::HttpServer server_;
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> sessions_;
  bool stopping_ = false;  // under mutex_: no GET stream opens once the streams were ended
};

}  // namespace apflow::plugins::mcp
