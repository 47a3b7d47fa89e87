// APFLOW_PLUGIN(...): declares a plugin and its exported entry point in one line.
//
//   APFLOW_PLUGIN("hello", "1.0.0", APFLOW_EXECUTOR(Hello), APFLOW_MODULE(Stats),
//                 APFLOW_DESCRIPTION("Greets people"),
//                 APFLOW_CONFIG_SCHEMA(R"({"type":"object","properties":{...}})"))
//
// Use it once per plugin, in one .cpp file, at namespace scope.
#pragma once

#include <apflow/abi.h>
#include <apflow/sdk/error.h>
#include <apflow/sdk/executor.h>
#include <apflow/sdk/protocol.h>

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace apflow::sdk {

// One thing a plugin declares: something to register, or a piece of plugin metadata.
struct PluginItem {
  enum class Kind { kRegistration, kDescription, kConfigSchema };
  Kind kind;
  std::string text;  // description or config schema
  // Constructs the object and registers it; throws on failure.
  std::function<std::shared_ptr<void>(const PluginContext&, apflow_registrar*)> setup;
};

namespace detail {

inline void check_registered(apflow_status status, ErrorCollector& error, const char* what) {
  if (status != APFLOW_OK) error.raise(what);
}

template <typename T>
std::shared_ptr<T> construct(const PluginContext& context) {
  if constexpr (std::is_constructible_v<T, const PluginContext&>) {
    return std::make_shared<T>(context);
  } else {
    return std::make_shared<T>();
  }
}

// Registers T as an executor (is_executor) or a plain module.
template <typename T>
PluginItem callable_item(bool is_executor) {
  return PluginItem{
      PluginItem::Kind::kRegistration,
      {},
      [is_executor](const PluginContext& context, apflow_registrar* registrar) {
        // The metadata strings must outlive the registrar call: keep them with
        // the instance for the life of the plugin.
        struct Held {
          std::shared_ptr<T> instance;
          ModuleMetadata meta;
        };
        auto held = std::make_shared<Held>(Held{construct<T>(context), ModuleMetadata::of<T>()});
        const apflow_module_def def = held->meta.def(&invoke<T>, held->instance.get());
        ErrorCollector error;
        auto fn = is_executor ? registrar->register_executor : registrar->register_module;
        check_registered(fn(registrar, &def, error.sink()), error, "registration");
        return std::shared_ptr<void>(held);
      }};
}

template <typename T>
PluginItem protocol_item() {
  return PluginItem{PluginItem::Kind::kRegistration,
                    {},
                    [](const PluginContext& context, apflow_registrar* registrar) {
                      struct Held {
                        std::shared_ptr<T> instance;
                        std::string id, description, command;
                      };
                      auto held = std::make_shared<Held>(
                          Held{construct<T>(context), std::string(T::kId),
                               std::string(T::kDescription), std::string(T::kCommand)});
                      const apflow_protocol_def def{
                          sizeof(apflow_protocol_def), held->id.c_str(), held->description.c_str(),
                          held->command.c_str(),       &run_protocol<T>, &stop_protocol<T>,
                          held->instance.get()};
                      ErrorCollector error;
                      check_registered(registrar->register_protocol(registrar, &def, error.sink()),
                                       error, "registration");
                      return std::shared_ptr<void>(held);
                    }};
}

}  // namespace detail

// The state behind one plugin's descriptor; lives in a function-local static.
class PluginSpec {
 public:
  PluginSpec(const char* id, const char* version, std::initializer_list<PluginItem> items,
             decltype(apflow_plugin::init) init, void (*shutdown)(void))
      : id_(id), version_(version), items_(items) {
    for (const auto& item : items_) {
      if (item.kind == PluginItem::Kind::kDescription) description_ = item.text;
      if (item.kind == PluginItem::Kind::kConfigSchema) config_schema_ = item.text;
    }
    descriptor_ = apflow_plugin{sizeof(apflow_plugin),
                                APFLOW_ABI_MAJOR,
                                APFLOW_ABI_MINOR,
                                id_.c_str(),
                                version_.c_str(),
                                description_.c_str(),
                                config_schema_.empty() ? nullptr : config_schema_.c_str(),
                                init,
                                shutdown};
  }

  const apflow_plugin* descriptor() const noexcept { return &descriptor_; }

  apflow_status init(const apflow_host_api* host, apflow_registrar* registrar, const char* config,
                     size_t config_size, apflow_error_sink* error) noexcept {
    try {
      const Json config_json = parse_json(std::string_view(config, config_size));
      const PluginContext context{Host(host), config_json};
      for (const auto& item : items_) {
        if (item.kind == PluginItem::Kind::kRegistration) {
          instances_.push_back(item.setup(context, registrar));
        }
      }
      return APFLOW_OK;
    } catch (...) {
      const Error failure = detail::to_error(std::current_exception());
      report(error, failure.view());
      return APFLOW_ERROR;
    }
  }

  void shutdown() noexcept {
    while (!instances_.empty()) instances_.pop_back();  // in reverse order of creation
  }

 private:
  std::string id_, version_, description_, config_schema_;
  std::vector<PluginItem> items_;
  std::vector<std::shared_ptr<void>> instances_;
  apflow_plugin descriptor_{};
};

}  // namespace apflow::sdk

#define APFLOW_EXECUTOR(Type) ::apflow::sdk::detail::callable_item<Type>(true)
#define APFLOW_MODULE(Type) ::apflow::sdk::detail::callable_item<Type>(false)
#define APFLOW_PROTOCOL(Type) ::apflow::sdk::detail::protocol_item<Type>()
#define APFLOW_DESCRIPTION(text)                            \
  ::apflow::sdk::PluginItem {                               \
    ::apflow::sdk::PluginItem::Kind::kDescription, text, {} \
  }
#define APFLOW_CONFIG_SCHEMA(json)                           \
  ::apflow::sdk::PluginItem {                                \
    ::apflow::sdk::PluginItem::Kind::kConfigSchema, json, {} \
  }

#define APFLOW_PLUGIN(plugin_id, plugin_version, ...)                                            \
  namespace {                                                                                    \
  apflow_status apflow_plugin_init_(const apflow_host_api*, apflow_registrar*, const char*,      \
                                    size_t, apflow_error_sink*);                                 \
  void apflow_plugin_shutdown_(void);                                                            \
  ::apflow::sdk::PluginSpec& apflow_plugin_spec_() {                                             \
    static ::apflow::sdk::PluginSpec spec(plugin_id, plugin_version, {__VA_ARGS__},              \
                                          &apflow_plugin_init_, &apflow_plugin_shutdown_);       \
    return spec;                                                                                 \
  }                                                                                              \
  apflow_status apflow_plugin_init_(const apflow_host_api* host, apflow_registrar* registrar,    \
                                    const char* config, size_t size, apflow_error_sink* error) { \
    return apflow_plugin_spec_().init(host, registrar, config, size, error);                     \
  }                                                                                              \
  void apflow_plugin_shutdown_(void) {                                                           \
    apflow_plugin_spec_().shutdown();                                                            \
  }                                                                                              \
  }                                                                                              \
  extern "C" APFLOW_EXPORT const apflow_plugin* apflow_plugin_entry(void) {                      \
    return apflow_plugin_spec_().descriptor();                                                   \
  }
