// EventBus: task events (JSON objects) fanned out to subscribers, optionally filtered by tree.
// Publishers and subscribers may live on any thread. Depends on nothing of the host.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace apflow {

class EventBus {
 public:
  using Handler = std::function<void(std::string_view event_json)>;
  using Id = uint64_t;

  // Subscribes to every event (empty tree_id) or to those of one task tree.
  Id subscribe(std::string tree_id, Handler handler);
  // After it returns, no handler call of this subscription is running or will start.
  void unsubscribe(Id id);
  // Calls each matching handler on the publishing thread.
  void publish(std::string_view tree_id, std::string_view event_json);
  bool has_subscribers() const;

 private:
  struct Subscriber {
    Id id;
    std::string tree_id;
    Handler handler;
    std::mutex running;  // held while the handler runs
    bool active = true;
  };

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Subscriber>> subscribers_;
  Id next_id_ = 1;
};

}  // namespace apflow
