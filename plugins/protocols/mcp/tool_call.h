// One tools/call in flight: the module call through the host, progress notifications for the
// caller's progressToken, cancellation, and the MCP result (structuredContent, or isError with
// the engine's message: a failed tool is a result, not a JSON-RPC error).
#pragma once

#include <apflow/sdk/host.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/jsonrpc_dispatch.h"
#include "mcp/session_log.h"
#include "mcp/tool_catalog.h"

namespace apflow::plugins::mcp {

class ToolCall : public std::enable_shared_from_this<ToolCall> {
 public:
  struct Request {
    std::string module_id;
    std::string arguments_json;
    std::string progress_token;  // JSON text of _meta.progressToken, or empty for none
    int64_t timeout_ms = 0;
    std::string tool_name;  // as the client knows it, for log messages
  };

  // on_finished runs once, after the reply, from any thread. log (may be null) tells the
  // client, when it asked for logs, how the call ended.
  ToolCall(sdk::Host host, Request request, protocols::jsonrpc::Reply reply,
           std::function<void()> on_finished, std::shared_ptr<SessionLog> log = nullptr);

  // Starts the module call; its outcome answers the reply.
  void start();
  // Stops the call without a response. `client_asked`: the client cancelled it
  // (notifications/cancelled), so a waiting apflow.task.execute also cancels the tree it runs;
  // a session or server that ends only stops waiting and leaves the tree to the engine.
  void cancel(bool client_asked);

 private:
  void watch_tree();
  void send_progress(const std::string& message);
  void finish(sdk::CallResult result);
  void cancel_tree() const;
  void log_outcome(const sdk::CallResult& result);

  sdk::Host host_;
  Request request_;
  protocols::jsonrpc::Reply reply_;
  std::function<void()> on_finished_;
  std::shared_ptr<SessionLog> log_;
  std::chrono::steady_clock::time_point started_at_;
  std::mutex mutex_;
  sdk::Invocation invocation_;
  sdk::EventSubscription events_;
  bool started_ = false;
  int progress_count_ = 0;
  std::atomic<bool> cancelled_{false};
};

// The tools/call result for a finished module call (exposed for tests); append_tool_result
// writes it onto `out`, which tool_result_size() says how much room to give.
std::string tool_result(const sdk::CallResult& result);
void append_tool_result(std::string& out, const sdk::CallResult& result);
size_t tool_result_size(const sdk::CallResult& result);

}  // namespace apflow::plugins::mcp
