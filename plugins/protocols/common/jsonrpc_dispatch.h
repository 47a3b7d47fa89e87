// JSON-RPC 2.0 dispatch: methods map to handlers that answer once, at once or later from any
// thread; batches are answered when every member has been. Transport-free.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "common/jsonrpc.h"

namespace apflow::plugins::protocols::jsonrpc {

// Thrown by a handler to answer with a JSON-RPC error.
class RpcError : public std::runtime_error {
 public:
  RpcError(int code, const std::string& message, std::string data_json = {})
      : std::runtime_error(message), code_(code), data_json_(std::move(data_json)) {}
  int code() const noexcept { return code_; }
  const std::string& data_json() const noexcept { return data_json_; }

 private:
  int code_;
  std::string data_json_;
};

// Where a message's answer and related notifications go. send_related may be empty: then
// notifications about the request (progress) are dropped.
struct Sink {
  std::function<void(std::string)> finish;  // once: the response text, or "" for none
  std::function<void(std::string)> send_related;
};

// A handler's way to answer one request. Copyable; the first answer wins, later ones are
// ignored, so a cancelled call and its late completion cannot both answer.
class Reply {
 public:
  Reply(std::string id, Sink sink);

  void ok(const std::string& result_json) { finish(result(id(), result_json)); }
  // As ok(), for a result written straight into the response text, not copied into it:
  // `write(std::string&)` appends the result, for which the text has room for `result_size`.
  template <typename Write>
  void ok_with(size_t result_size, Write&& write) {
    std::string text = result_head(id(), result_size + 1);
    write(text);
    text += '}';
    finish(std::move(text));
  }
  void fail(int code, const std::string& message, const std::string& data_json = {}) {
    finish(error(id(), code, message, data_json));
  }
  // Ends the request without a response (MCP: a cancelled request gets none).
  void drop() { finish(std::string()); }
  // Sends a notification about this request (e.g. progress) before the answer; dropped after it.
  // False when it was dropped: answered already, or the transport has no channel for it.
  bool notify(const std::string& message_json);
  bool answered() const;
  const std::string& id() const noexcept { return state_->id; }

 private:
  struct State {
    std::string id;
    Sink sink;
    std::mutex mutex;
    bool answered = false;
  };
  void finish(std::string text);
  std::shared_ptr<State> state_;
};

class Dispatcher {
 public:
  using Handler = std::function<void(const Message&, Reply)>;
  using NotificationHandler = std::function<void(const Message&)>;

  void on_request(const std::string& method, Handler handler) {
    requests_[method] = std::move(handler);
  }
  void on_notification(const std::string& method, NotificationHandler handler) {
    notifications_[method] = std::move(handler);
  }
  // Handles one message: a request is answered through sink.finish (possibly later, from any
  // thread); notifications and responses finish at once with "". Unknown methods get -32601,
  // unknown notifications are ignored as JSON-RPC asks.
  void handle(const Message& message, Sink sink) const;

 private:
  std::map<std::string, Handler> requests_;
  std::map<std::string, NotificationHandler> notifications_;
};

// Answers a parsed message or batch: `each` handles one well-formed message; invalid ones are
// answered here. `done` receives the whole answer once ("" when nothing is to be answered).
void answer(Parsed parsed, const std::function<void(const Message&, Sink)>& each,
            std::function<void(std::string)> done,
            std::function<void(std::string)> send_related = nullptr);

}  // namespace apflow::plugins::protocols::jsonrpc
