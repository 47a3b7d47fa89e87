#include "common/jsonrpc_dispatch.h"

#include <apflow/sdk/error.h>

#include <vector>

namespace apflow::plugins::protocols::jsonrpc {

Reply::Reply(std::string id, Sink sink) : state_(std::make_shared<State>()) {
  state_->id = std::move(id);
  state_->sink = std::move(sink);
}

void Reply::finish(std::string text) {
  std::function<void(std::string)> finish;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->answered) return;
    state_->answered = true;
    finish = std::move(state_->sink.finish);
  }
  if (finish) finish(std::move(text));
}

bool Reply::notify(const std::string& message_json) {
  std::lock_guard lock(state_->mutex);
  // Under the lock so that no notification can follow the response it belongs to.
  if (state_->answered || !state_->sink.send_related) return false;
  state_->sink.send_related(message_json);
  return true;
}

bool Reply::answered() const {
  std::lock_guard lock(state_->mutex);
  return state_->answered;
}

void Dispatcher::handle(const Message& message, Sink sink) const {
  if (message.kind != Message::Kind::kRequest) {
    if (message.kind == Message::Kind::kNotification) {
      auto it = notifications_.find(message.method);
      try {
        if (it != notifications_.end()) it->second(message);
      } catch (const std::exception&) {  // a notification has no one to tell
      }
    }
    sink.finish(std::string());
    return;
  }
  Reply reply(message.id, std::move(sink));
  auto it = requests_.find(message.method);
  if (it == requests_.end()) {
    reply.fail(kMethodNotFound, "Method not found: " + message.method);
    return;
  }
  try {
    it->second(message, reply);
  } catch (const RpcError& e) {
    reply.fail(e.code(), e.what(), e.data_json());
  } catch (const std::exception& e) {
    reply.fail(kInternalError, std::string("Internal error: ") + e.what());
  }
}

namespace {

// Gathers the answers of a batch and hands them on when the last one arrives.
struct Gather {
  std::mutex mutex;
  std::vector<std::string> answers;
  size_t left = 0;
  bool batch = false;
  std::function<void(std::string)> done;

  void add(std::string answer) {
    std::function<void(std::string)> finish;
    std::string text;
    {
      std::lock_guard lock(mutex);
      if (!answer.empty()) answers.push_back(std::move(answer));
      if (--left > 0) return;
      if (!answers.empty()) text = batch ? jsonrpc::batch(answers) : std::move(answers.front());
      finish = std::move(done);
    }
    finish(std::move(text));
  }
};

}  // namespace

void answer(Parsed parsed, const std::function<void(const Message&, Sink)>& each,
            std::function<void(std::string)> done, std::function<void(std::string)> send_related) {
  if (!parsed.batch && parsed.items.size() == 1) {  // one message: nothing to gather
    if (const auto* bad = std::get_if<Invalid>(&parsed.items.front())) return done(error(*bad));
    each(std::get<Message>(parsed.items.front()), Sink{std::move(done), std::move(send_related)});
    return;
  }
  auto gather = std::make_shared<Gather>();
  gather->left = parsed.items.size();
  gather->batch = parsed.batch;
  gather->done = std::move(done);
  for (auto& item : parsed.items) {
    if (const auto* bad = std::get_if<Invalid>(&item)) {
      gather->add(error(*bad));
      continue;
    }
    each(std::get<Message>(item),
         Sink{[gather](std::string text) { gather->add(std::move(text)); }, send_related});
  }
}

}  // namespace apflow::plugins::protocols::jsonrpc
