// The A2A JSON-RPC methods, transport-free: SendMessage, SendStreamingMessage, GetTask,
// CancelTask, SubscribeToTask (1.0 names) and message/send, message/stream, tasks/get,
// tasks/cancel, tasks/resubscribe (0.3 names), each answered in its version's JSON shapes.
#pragma once

#include <apflow/sdk/host.h>

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "a2a/a2a_wire.h"
#include "a2a/task_store.h"
#include "common/jsonrpc_dispatch.h"

namespace apflow::plugins::a2a {

// A method as the client named it: what it does and in which version's shapes to answer.
struct Method {
  enum class Kind {
    kSend,
    kStream,
    kGet,
    kCancel,
    kResubscribe,
    kPushConfig,
    kExtendedCard,
    kListTasks
  };
  Kind kind;
  Dialect dialect;
  bool streams() const { return kind == Kind::kStream || kind == Kind::kResubscribe; }
};
std::optional<Method> find_method(std::string_view name);

// Where a streamed answer goes: each event is the `result` of one SSE message.
struct StreamSink {
  std::function<void(const std::string& result_json)> event;
  std::function<void()> end;
};

class A2aService {
 public:
  A2aService(sdk::Host host, const rapidjson::Value& modules, TaskLimits limits = {});

  // The dispatcher for the methods answered with one JSON-RPC response; streaming methods
  // sent there (in a batch) are refused.
  const protocols::jsonrpc::Dispatcher& dispatcher() const { return dispatcher_; }
  // A streaming method: checks the params (throws jsonrpc::RpcError before anything is sent),
  // then calls begin() and sends the events until the task ends.
  void stream(const Method& method, const rapidjson::Value& params,
              const std::function<void()>& begin, StreamSink sink);

  TaskStore& tasks() { return tasks_; }
  size_t skill_count() const { return skills_.size(); }

 private:
  void send(const rapidjson::Value& params, Dialect dialect, protocols::jsonrpc::Reply reply);
  std::string get(const rapidjson::Value& params, Dialect dialect) const;
  std::string cancel(const rapidjson::Value& params, Dialect dialect);
  std::shared_ptr<A2aTask> task_of(const rapidjson::Value& params, Dialect dialect) const;
  std::shared_ptr<A2aTask> create(SendRequest request);

  sdk::Host host_;
  std::set<std::string> skills_;
  TaskStore tasks_;
  protocols::jsonrpc::Dispatcher dispatcher_;
};

// A JSON-RPC error with A2A 1.0's error.data (an ErrorInfo array); 0.3 has no data.
protocols::jsonrpc::RpcError a2a_error(int code, const std::string& message,
                                       std::string_view reason, Dialect dialect);

}  // namespace apflow::plugins::a2a
