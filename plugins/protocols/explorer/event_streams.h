// Live task events for the explorer's graph, as Server-Sent Events fed by the host's event
// subscription (sdk::Host::subscribe_events). A stream ends by itself after max_age (the page
// reconnects and reloads the tree), so that a page that went away without a word holds its
// subscription only that long; stop() ends every stream at once, so that a stopping server
// need not wait for them.
#pragma once

#include <apflow/sdk/host.h>

#include <chrono>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/http_exchange.h"

namespace apflow::plugins::explorer {

class EventStreams {
 public:
  explicit EventStreams(sdk::Host host,
                        std::chrono::milliseconds max_age = std::chrono::seconds(30));
  ~EventStreams();
  EventStreams(const EventStreams&) = delete;
  EventStreams& operator=(const EventStreams&) = delete;

  // GET /explorer/api/events[?tree=<task_tree_id>]: "ready" once subscribed (the page then
  // loads the tree, so that nothing falls between), then one "task" event per engine event of
  // that tree (of every tree without ?tree). 501 when the host offers no events (the page
  // polls instead), 503 once stopping.
  void open(const std::shared_ptr<protocols::HttpExchange>& exchange, const std::string& tree_id);
  // Ends every stream and refuses new ones. Cheap and thread-safe: wakes the reaper thread.
  void stop() noexcept;

 private:
  struct Stream {
    std::shared_ptr<protocols::HttpExchange> exchange;
    sdk::EventSubscription subscription;
    std::chrono::steady_clock::time_point opened;
  };

  void reap();  // the reaper thread: ends streams past max_age_, or all once stopping
  static void end(Stream& stream);

  sdk::Host host_;
  std::chrono::milliseconds max_age_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::list<Stream> streams_;
  std::thread reaper_;  // last: started once everything it uses exists
};

}  // namespace apflow::plugins::explorer
