// Store: the engine's C++ view of a storage backend (the apflow_storage_ops of a plugin).
// Every call is one transaction of the backend; requests and responses are JSON documents
// whose shapes docs/storage.md specifies. Failures throw apflow::Error with the store's code.
#pragma once

#include <apflow/abi.h>
#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <string_view>

namespace apflow::engine {

class Store {
 public:
  enum class Op {
    kCreateTasks,
    kGetTasks,
    kQueryTasks,
    kUpdateTask,
    kDeleteTasks,
    kQueueTasks,
    kClaimTasks,
    kFinishTasks,
    kCancelTasks,
    kRenewLeases,
    kExpireLeases,
    kRecordProgress,
    kSaveCheckpoint,
    kLoadCheckpoint,
    kClaimInline,  // ABI 1.2: absent from older backends (supports())
  };

  // Opens a backend with its config section. Throws Error naming the backend when the plugin
  // lacks the engine's operations (built for ABI 1.0) or open() fails (e.g. unwritable path).
  static std::unique_ptr<Store> open(std::string backend_id, const apflow_storage_ops* ops,
                                     void* user_data, const std::string& config_json);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  rapidjson::Document call(Op op, const rapidjson::Value& request) const;
  rapidjson::Document call(Op op, std::string_view request_json) const;
  // The response as the store wrote it, unparsed (for a reader that parses it its own way).
  std::string call_text(Op op, std::string_view request_json) const;
  // The response parsed in place: its strings stay in the text the store wrote, which the
  // document keeps (large responses, such as claims, are not copied string by string).
  std::shared_ptr<const rapidjson::Document> call_shared(Op op,
                                                         const rapidjson::Value& request) const;
  std::shared_ptr<const rapidjson::Document> call_shared(Op op,
                                                         std::string_view request_json) const;

  // Whether the backend has this operation (those after ABI 1.1 are optional).
  bool supports(Op op) const noexcept;

  const std::string& backend_id() const noexcept { return backend_id_; }

 private:
  Store(std::string backend_id, const apflow_storage_ops* ops, apflow_storage* handle)
      : backend_id_(std::move(backend_id)), ops_(ops), handle_(handle) {}

  std::string backend_id_;
  const apflow_storage_ops* ops_;
  apflow_storage* handle_;
};

}  // namespace apflow::engine
