#include "explorer/event_streams.h"

#include "common/sse.h"
#include "explorer/api_reply.h"

namespace apflow::plugins::explorer {

namespace http = protocols::http;

EventStreams::EventStreams(sdk::Host host, std::chrono::milliseconds max_age)
    : host_(host), max_age_(max_age), reaper_([this] { reap(); }) {}

EventStreams::~EventStreams() {
  stop();
  reaper_.join();
}

void EventStreams::open(const std::shared_ptr<protocols::HttpExchange>& exchange,
                        const std::string& tree_id) {
  if (!host_.has_events()) {
    return exchange->respond(api_error(http::status::not_implemented,
                                       "Not Implemented: this apflow host offers no task events"));
  }
  sdk::Json filter = sdk::make_object();
  if (!tree_id.empty()) sdk::set(filter, "task_tree_id", tree_id);
  Stream stream{exchange, {}, std::chrono::steady_clock::now()};
  try {
    // Events before start_stream are dropped by the exchange; "ready" comes after them, and the
    // tree the page loads then already shows what they said.
    stream.subscription =
        host_.subscribe_events(sdk::to_json(filter), [exchange](std::string_view event) {
          exchange->send(protocols::sse::event(event, "task"));
        });
  } catch (const sdk::Error& e) {
    return exchange->respond(api_error(http::status::internal_server_error, e.what()));
  }
  std::unique_lock lock(mutex_);
  if (stopping_) {
    lock.unlock();
    stream.subscription.reset();
    return exchange->respond(api_error(http::status::service_unavailable,
                                       "Service Unavailable: the server is stopping"));
  }
  protocols::HttpResponse head =
      protocols::make_response(http::status::ok, {}, "text/event-stream");
  head.set(http::field::cache_control, "no-store");
  exchange->start_stream(std::move(head));
  sdk::Json ready = sdk::make_object();
  sdk::set(ready, "tree_id", tree_id);
  exchange->send(protocols::sse::event(sdk::to_json(ready), "ready"));
  streams_.push_back(std::move(stream));
}

void EventStreams::stop() noexcept {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void EventStreams::end(Stream& stream) {
  stream.subscription.reset();  // no event is sent once this returns
  stream.exchange->end();
}

void EventStreams::reap() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; });
    const auto now = std::chrono::steady_clock::now();
    std::list<Stream> ended;
    for (auto it = streams_.begin(); it != streams_.end();) {
      auto next = std::next(it);
      if (stopping_ || now - it->opened >= max_age_) ended.splice(ended.end(), streams_, it);
      it = next;
    }
    const bool done = stopping_;
    // Not under the lock: releasing a subscription waits for an event callback in progress.
    lock.unlock();
    for (auto& stream : ended) end(stream);
    ended.clear();
    lock.lock();
    if (done) return;
  }
}

}  // namespace apflow::plugins::explorer
