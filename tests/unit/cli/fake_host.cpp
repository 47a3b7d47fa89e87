#include "fake_host.h"

#include <apflow/sdk/error.h>

// The host keeps its own definitions of these handles; the fake needs only something to point to.
struct apflow_invocation {
  int unused;
};
struct apflow_subscription {
  apflow::plugins::cli::testing::FakeHost* host;
  int id;
};

namespace apflow::plugins::cli::testing {

struct FakeHostTrampolines {
  static FakeHost& self(const apflow_host_api* api) {
    return *static_cast<FakeHost*>(api->host_data);
  }
  static int log_enabled(const apflow_host_api*, apflow_log_level) { return 0; }
  static void log(const apflow_host_api*, apflow_log_level, const char*) {}
  static apflow_status list_modules(const apflow_host_api*, apflow_text_sink* out,
                                    apflow_error_sink*) {
    out->write(out->context, "[]", 2);
    return APFLOW_OK;
  }

  static apflow_status invoke(const apflow_host_api* api, const apflow_invoke_request* request,
                              apflow_invocation** out, apflow_error_sink*) {
    FakeHost& host = self(api);
    const std::string input(request->input_json, request->input_size);
    {
      std::lock_guard lock(host.mutex_);
      host.log_.push_back(std::string("call ") + request->module_id + " " + input);
    }
    *out = new apflow_invocation{0};
    const auto module = host.modules_.find(request->module_id);
    try {
      if (module == host.modules_.end()) {
        throw sdk::Error("MODULE_NOT_FOUND", std::string("no module ") + request->module_id);
      }
      const std::string output = sdk::to_json(module->second(sdk::parse_json(input)));
      request->on_done(request->user_data, APFLOW_OK, output.data(), output.size(), nullptr);
    } catch (const sdk::Error& e) {
      const apflow_error error = e.view();
      request->on_done(request->user_data, APFLOW_ERROR, nullptr, 0, &error);
    }
    return APFLOW_OK;
  }
  static void cancel_invocation(apflow_invocation*) {}
  static void release_invocation(apflow_invocation* invocation) { delete invocation; }

  static apflow_status subscribe(const apflow_host_api* api, const char* filter, size_t size,
                                 void* user_data, void (*on_event)(void*, const char*, size_t),
                                 apflow_subscription** out, apflow_error_sink*) {
    FakeHost& host = self(api);
    const std::string tree_id =
        sdk::get_string(sdk::parse_json(std::string_view(filter, size)), "task_tree_id");
    std::lock_guard lock(host.mutex_);
    const int id = host.next_subscriber_++;
    host.subscribers_[id] = FakeHost::Subscriber{tree_id, user_data, on_event};
    host.log_.push_back("subscribe " + tree_id);
    *out = new apflow_subscription{&host, id};
    return APFLOW_OK;
  }
  static void release_subscription(apflow_subscription* subscription) {
    {
      std::lock_guard lock(subscription->host->mutex_);
      subscription->host->subscribers_.erase(subscription->id);
    }
    delete subscription;
  }
};

FakeHost::FakeHost() {
  using T = FakeHostTrampolines;
  api_ = apflow_host_api{sizeof(apflow_host_api),
                         APFLOW_ABI_MAJOR,
                         APFLOW_ABI_MINOR,
                         "test",
                         this,
                         &T::log_enabled,
                         &T::log,
                         &T::list_modules,
                         &T::invoke,
                         &T::cancel_invocation,
                         &T::release_invocation,
                         &T::subscribe,
                         &T::release_subscription};
}

void FakeHost::publish(const std::string& event_json) {
  const std::string tree_id = sdk::get_string(sdk::parse_json(event_json), "task_tree_id");
  std::lock_guard lock(mutex_);
  for (const auto& [id, subscriber] : subscribers_) {
    if (subscriber.tree_id == tree_id) {
      subscriber.on_event(subscriber.user_data, event_json.data(), event_json.size());
    }
  }
}

std::vector<std::string> FakeHost::log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

}  // namespace apflow::plugins::cli::testing
