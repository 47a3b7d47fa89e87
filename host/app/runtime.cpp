#include "app/runtime.h"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "app/engine_setup.h"
#include "app/logging.h"
#include "modules/task_modules.h"
#include "plugins/plugin_paths.h"

namespace apflow::app {
namespace {

config::Config load_config(const GlobalOptions& options) {
  config::LoadOptions load;
  if (options.config_path) load.explicit_path = *options.config_path;
  load.env = config::Environment::from_process();
  return config::Config::load(load);
}

// Module calls may block on I/O inside executors, so use more threads than cores, and at
// least one per task the engine may run at once.
size_t worker_threads(size_t max_parallel) {
  return std::max<size_t>({8, std::thread::hardware_concurrency() * 4, max_parallel + 4});
}

}  // namespace

Runtime::Runtime(const GlobalOptions& options) : config_(load_config(options)) {
  apply_log_level(options.log_level, config_.log_level());
  const engine::EngineConfig engine_settings = engine_config(config_);
  pipeline_ = std::make_unique<registry::CallPipeline>(
      registry_, config_.default_timeout_ms(), worker_threads(engine_settings.max_parallel));
  plugins_ = std::make_unique<plugins::PluginHost>(registry_, *pipeline_, events_, config_);
  plugins::PluginDirSources sources;
  sources.builtin = plugins::builtin_plugin_dir(plugins::current_executable());
  sources.from_config = config_.plugin_paths();
  if (const char* env = std::getenv("APFLOW_PLUGIN_PATH")) sources.from_env = env;
  sources.from_flags = options.plugin_dirs;
  plugins_->load_all(plugins::plugin_directories(sources));
  const std::optional<std::string> db = options.database;
  engine_ = std::make_unique<engine::Engine>(
      registry_, *pipeline_, events_, engine_settings,
      [this, db] { return open_store(config_, plugins_->storage_backends(), db); });
  modules::register_task_modules(registry_, *engine_);
}

Runtime::~Runtime() {
  // Running tasks go back to the queue; in-flight calls finish before their plugins shut down.
  engine_->stop();
  pipeline_->drain();
  engine_.reset();
  plugins_.reset();
}

}  // namespace apflow::app
