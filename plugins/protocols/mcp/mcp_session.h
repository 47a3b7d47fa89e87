// One MCP session (a stdio connection, or one MCP-Session-Id over HTTP): the lifecycle
// (initialize, version negotiation), ping, tools/list, tools/call, cancellation and
// logging/setLevel. Transport-free: a transport hands it parsed messages and a Sink.
#pragma once

#include <apflow/sdk/host.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/jsonrpc_dispatch.h"
#include "mcp/session_log.h"
#include "mcp/tool_call.h"
#include "mcp/tool_catalog.h"

namespace apflow::plugins::mcp {

inline constexpr std::string_view kLatestVersion = "2025-11-25";
bool is_supported_version(std::string_view version);

struct McpSettings {
  size_t page_size = 100;
  int64_t call_timeout_ms = 0;  // 0: the host's default
};

// What every session of one server shares.
struct McpContext {
  sdk::Host host;
  const ToolCatalog& catalog;
  McpSettings settings;
};

// Held by shared_ptr: calls report their end through a weak reference.
class McpSession : public std::enable_shared_from_this<McpSession> {
 public:
  explicit McpSession(const McpContext& context);
  ~McpSession();  // cancels the calls still running (cancel_all() also waits for them)
  McpSession(const McpSession&) = delete;
  McpSession& operator=(const McpSession&) = delete;

  // Handles one well-formed message; the answer goes to sink.finish (possibly later).
  void handle(const protocols::jsonrpc::Message& message, protocols::jsonrpc::Sink sink);

  bool initialized() const;
  std::string protocol_version() const;
  // JSON-RPC batches exist only in protocol version 2025-03-26.
  bool batches_allowed() const { return protocol_version() == "2025-03-26"; }

  // True while a tools/call of this session runs.
  bool busy() const;
  // Waits until no call runs, up to `limit`; true when none does.
  bool wait_idle(std::chrono::milliseconds limit);
  // Cancels every running call (without answering them) and waits for them to end.
  void cancel_all();

  // Where notifications/message go (see SessionLog::attach).
  SessionLog& log() { return *log_; }

 private:
  void register_methods();
  std::string initialize(const protocols::jsonrpc::Message& message);
  std::string list_tools(const protocols::jsonrpc::Message& message) const;
  void call_tool(const protocols::jsonrpc::Message& message, protocols::jsonrpc::Reply reply);
  void cancelled(const protocols::jsonrpc::Message& message);
  void call_ended(uint64_t serial);

  const McpContext& context_;
  std::shared_ptr<SessionLog> log_;  // shared with the calls, which may outlive a DELETE
  protocols::jsonrpc::Dispatcher dispatcher_;
  mutable std::mutex mutex_;
  std::condition_variable idle_cv_;
  bool initialized_ = false;
  std::string version_;
  // Calls in flight, by the order they came in: a client may (against MCP's rule) reuse a
  // request id while its first call runs, and each call must still be tracked until it ends.
  struct CallEntry {
    std::string id;  // the request id (JSON text), for notifications/cancelled
    std::shared_ptr<ToolCall> call;
  };
  std::map<uint64_t, CallEntry> calls_;
  std::atomic<uint64_t> next_serial_{0};
};

}  // namespace apflow::plugins::mcp
