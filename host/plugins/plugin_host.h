// PluginHost: finds plugin files, loads them with Boost.DLL, checks them against the ABI,
// validates their config sections and runs their init(). A plugin that fails is recorded with
// its file and reason and skipped; the host goes on with the others.
// May include registry/, config/ and the SDK's abi.h; never protocol or storage code.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "plugins/plugin_binding.h"
#include "plugins/plugin_info.h"
#include "registry/call_pipeline.h"
#include "registry/registry.h"

namespace apflow::plugins {

class PluginHost {
 public:
  PluginHost(registry::Registry& registry, registry::CallPipeline& pipeline, EventBus& events,
             const config::Config& config);
  ~PluginHost();  // shuts every loaded plugin down, in reverse order; libraries stay mapped
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads every *.so of each directory (files in name order, directories in the given order).
  // Throws Error(CONFIG_INVALID) when a plugin's config section is invalid or names no plugin:
  // configuration errors stop the process before anything runs.
  void load_all(const std::vector<std::filesystem::path>& directories);

  const std::vector<std::filesystem::path>& directories() const noexcept { return directories_; }
  const std::vector<PluginInfo>& plugins() const noexcept { return plugins_; }
  std::vector<ProtocolEntry> protocols() const;
  std::vector<StorageEntry> storage_backends() const;

 private:
  struct Loaded;  // a library handle and its descriptor

  void load_directory(const std::filesystem::path& directory);
  void load_file(const std::filesystem::path& file);
  // Reads and checks the descriptor; returns nullptr and fills info.reason when refused.
  const apflow_plugin* open_plugin(const std::filesystem::path& file, PluginInfo& info);
  void initialise(const apflow_plugin& plugin, PluginInfo& info);
  void check_unclaimed_config_sections() const;

  registry::Registry& registry_;
  registry::CallPipeline& pipeline_;
  EventBus& events_;
  const config::Config& config_;
  std::vector<std::filesystem::path> directories_;
  std::vector<PluginInfo> plugins_;
  std::vector<std::unique_ptr<Loaded>> libraries_;
  std::vector<std::unique_ptr<PluginBinding>> bindings_;
  std::vector<const apflow_plugin*> initialised_;
};

}  // namespace apflow::plugins
