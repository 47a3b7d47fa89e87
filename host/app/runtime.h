// Runtime: the composition root. Loads the configuration, builds the registry and the call
// pipeline, and loads the plugins, in that order; tears them down in the safe order.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/event_bus.h"
#include "engine/engine.h"
#include "plugins/plugin_host.h"
#include "registry/call_pipeline.h"
#include "registry/registry.h"

namespace apflow::app {

// Options every command accepts.
struct GlobalOptions {
  std::optional<std::string> config_path;  // --config
  std::vector<std::string> plugin_dirs;    // --plugin-dir, repeatable
  std::optional<std::string> log_level;    // --log-level
  std::optional<std::string> database;     // --db
};

class Runtime {
 public:
  // Throws apflow::Error(CONFIG_*) when the configuration or a plugin's section is invalid.
  explicit Runtime(const GlobalOptions& options);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  const config::Config& config() const noexcept { return config_; }
  registry::Registry& registry() noexcept { return registry_; }
  registry::CallPipeline& pipeline() noexcept { return *pipeline_; }
  plugins::PluginHost& plugins() noexcept { return *plugins_; }
  engine::Engine& engine() noexcept { return *engine_; }
  EventBus& events() noexcept { return events_; }

 private:
  config::Config config_;
  registry::Registry registry_;
  EventBus events_;
  std::unique_ptr<registry::CallPipeline> pipeline_;
  std::unique_ptr<plugins::PluginHost> plugins_;
  std::unique_ptr<engine::Engine> engine_;
};

}  // namespace apflow::app
