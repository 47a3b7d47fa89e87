// Storage backends: a class that opens stores, and APFLOW_STORAGE(T) to register it.
//
// The backend class declares its metadata as static members and opens one store per call:
//   static constexpr std::string_view kId = "sqlite";                 // required
//   static constexpr std::string_view kDescription = "...";           // required
//   static constexpr std::string_view kConfigSchema = R"({...})";     // optional
//   std::unique_ptr<apflow::sdk::Storage> open(const apflow::sdk::Json& config);
// A constructor taking `const PluginContext&` receives the host and the plugin's config section.
// Each store answers the operations of docs/storage.md; the engine calls them from several
// threads at once, so Storage::run must be thread-safe.
#pragma once

#include <apflow/abi.h>
#include <apflow/sdk/error.h>
#include <apflow/sdk/json.h>
#include <apflow/sdk/plugin.h>

#include <exception>
#include <memory>
#include <string>
#include <string_view>

namespace apflow::sdk {

// One operation of apflow_storage_ops, in table order.
enum class StorageOp {
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
  kClaimInline  // ABI 1.2
};

// An open store. Destroyed by the host's close().
class Storage {
 public:
  virtual ~Storage() = default;
  // Runs one operation as one transaction and returns the JSON response text. Throws Error with
  // a STORAGE_* or TASK_* code (docs/storage.md) when it fails.
  virtual std::string run(StorageOp op, std::string_view request) = 0;
};

namespace detail {

// Anything but an sdk::Error is a failure of the database layer, not of the request.
inline Error to_storage_error(std::exception_ptr failure) noexcept {
  try {
    std::rethrow_exception(failure);
  } catch (const Error& e) {
    return e;
  } catch (const std::exception& e) {
    return Error("STORAGE_ERROR", e.what());
  } catch (...) {
    return Error("STORAGE_ERROR", "the storage backend threw an unknown exception");
  }
}

template <StorageOp Op>
apflow_status storage_op(apflow_storage* storage, const char* request, size_t size,
                         apflow_text_sink* response, apflow_error_sink* error) noexcept {
  try {
    const std::string out =
        reinterpret_cast<Storage*>(storage)->run(Op, std::string_view(request, size));
    response->write(response->context, out.data(), out.size());
    return APFLOW_OK;
  } catch (...) {
    report(error, to_storage_error(std::current_exception()).view());
    return APFLOW_ERROR;
  }
}

template <typename T>
apflow_status open_storage(void* user_data, const char* config, size_t size, apflow_storage** out,
                           apflow_error_sink* error) noexcept {
  try {
    const Json config_json = parse_json(std::string_view(config, size));
    std::unique_ptr<Storage> store = static_cast<T*>(user_data)->open(config_json);
    *out = reinterpret_cast<apflow_storage*>(store.release());
    return APFLOW_OK;
  } catch (...) {
    report(error, to_storage_error(std::current_exception()).view());
    return APFLOW_ERROR;
  }
}

inline void close_storage(apflow_storage* storage) {
  delete reinterpret_cast<Storage*>(storage);
}

template <typename T>
const apflow_storage_ops* storage_ops() {
  using Op = StorageOp;
  static const apflow_storage_ops ops{sizeof(apflow_storage_ops),
                                      &open_storage<T>,
                                      &close_storage,
                                      &storage_op<Op::kCreateTasks>,
                                      &storage_op<Op::kGetTasks>,
                                      &storage_op<Op::kQueryTasks>,
                                      &storage_op<Op::kUpdateTask>,
                                      &storage_op<Op::kDeleteTasks>,
                                      &storage_op<Op::kQueueTasks>,
                                      &storage_op<Op::kClaimTasks>,
                                      &storage_op<Op::kFinishTasks>,
                                      &storage_op<Op::kCancelTasks>,
                                      &storage_op<Op::kRenewLeases>,
                                      &storage_op<Op::kExpireLeases>,
                                      &storage_op<Op::kRecordProgress>,
                                      &storage_op<Op::kSaveCheckpoint>,
                                      &storage_op<Op::kLoadCheckpoint>,
                                      &storage_op<Op::kClaimInline>};
  return &ops;
}

template <typename T>
PluginItem storage_item() {
  return PluginItem{
      PluginItem::Kind::kRegistration,
      {},
      [](const PluginContext& context, apflow_registrar* registrar) {
        struct Held {
          std::shared_ptr<T> instance;
          std::string id, description, config_schema;
        };
        std::string schema;
        if constexpr (requires { T::kConfigSchema; }) schema = std::string(T::kConfigSchema);
        auto held = std::make_shared<Held>(Held{construct<T>(context), std::string(T::kId),
                                                std::string(T::kDescription), std::move(schema)});
        const apflow_storage_def def{
            sizeof(apflow_storage_def),
            held->id.c_str(),
            held->description.c_str(),
            held->config_schema.empty() ? nullptr : held->config_schema.c_str(),
            storage_ops<T>(),
            held->instance.get()};
        ErrorCollector error;
        check_registered(registrar->register_storage(registrar, &def, error.sink()), error,
                         "registration");
        return std::shared_ptr<void>(held);
      }};
}

}  // namespace detail
}  // namespace apflow::sdk

#define APFLOW_STORAGE(Type) ::apflow::sdk::detail::storage_item<Type>()
