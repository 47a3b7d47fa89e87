// PluginBinding: the host side of the C ABI for one plugin — the apflow_host_api table it is
// given and the registrar it registers through. Converts C defs into registry records.
// Lives at a fixed address for the life of the process (tables point back at it).
#pragma once

#include <apflow/abi.h>

#include <string>
#include <vector>

#include "core/event_bus.h"
#include "plugins/plugin_info.h"
#include "registry/call_pipeline.h"
#include "registry/registry.h"

namespace apflow::plugins {

class PluginBinding {
 public:
  PluginBinding(std::string plugin_id, registry::Registry& registry,
                registry::CallPipeline& pipeline, EventBus& events);
  PluginBinding(const PluginBinding&) = delete;
  PluginBinding& operator=(const PluginBinding&) = delete;

  const std::string& plugin_id() const noexcept { return plugin_id_; }
  const apflow_host_api* host_api() const noexcept { return &host_api_; }
  apflow_registrar* registrar() noexcept { return &registrar_; }

  const std::vector<std::string>& modules() const noexcept { return modules_; }
  const std::vector<ProtocolEntry>& protocols() const noexcept { return protocols_; }
  const std::vector<StorageEntry>& storage_backends() const noexcept { return storage_; }

  // Forgets everything registered (the plugin's init failed) and removes its modules.
  void roll_back();

  // Builds a registry record from a module def; throws Error saying what is wrong with it.
  static registry::ModuleRecord to_record(const apflow_module_def& def, bool is_executor,
                                          const std::string& owner);

 private:
  void add_module(const apflow_module_def* def, bool is_executor);
  void add_storage(const apflow_storage_def* def);
  void add_protocol(const apflow_protocol_def* def);

  static PluginBinding& self(const apflow_host_api* api);
  static PluginBinding& self(apflow_registrar* registrar);

  std::string plugin_id_;
  registry::Registry& registry_;
  registry::CallPipeline& pipeline_;
  EventBus& events_;
  apflow_host_api host_api_{};
  apflow_registrar registrar_{};
  std::vector<std::string> modules_;
  std::vector<ProtocolEntry> protocols_;
  std::vector<StorageEntry> storage_;

  friend struct BindingTrampolines;
};

}  // namespace apflow::plugins
