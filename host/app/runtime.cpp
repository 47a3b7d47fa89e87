#include "app/runtime.h"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "app/logging.h"
#include "plugins/plugin_paths.h"

namespace apflow::app {
namespace {

config::Config load_config(const GlobalOptions& options) {
  config::LoadOptions load;
  if (options.config_path) load.explicit_path = *options.config_path;
  load.env = config::Environment::from_process();
  return config::Config::load(load);
}

// Module calls may block on I/O inside executors, so use more threads than cores.
size_t worker_threads() {
  return std::max<size_t>(8, std::thread::hardware_concurrency() * 4);
}

}  // namespace

Runtime::Runtime(const GlobalOptions& options) : config_(load_config(options)) {
  apply_log_level(options.log_level, config_.log_level());
  pipeline_ = std::make_unique<registry::CallPipeline>(registry_, config_.default_timeout_ms(),
                                                       worker_threads());
  plugins_ = std::make_unique<plugins::PluginHost>(registry_, *pipeline_, config_);
  plugins::PluginDirSources sources;
  sources.builtin = plugins::builtin_plugin_dir(plugins::current_executable());
  sources.from_config = config_.plugin_paths();
  if (const char* env = std::getenv("APFLOW_PLUGIN_PATH")) sources.from_env = env;
  sources.from_flags = options.plugin_dirs;
  plugins_->load_all(plugins::plugin_directories(sources));
}

Runtime::~Runtime() {
  // In-flight calls must finish before the plugins that serve them shut down.
  pipeline_->drain();
  plugins_.reset();
}

}  // namespace apflow::app
