// How the composition root configures the engine: its settings from the `engine` section, and
// the store from the `storage` section, --db and $APFLOW_DATABASE_URL.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "engine/engine_config.h"
#include "engine/store.h"
#include "plugins/plugin_info.h"

namespace apflow::app {

engine::EngineConfig engine_config(const config::Config& config);

// The database path: --db > $APFLOW_DATABASE_URL > storage.path > the default
// ($XDG_DATA_HOME/apflow/apflow.db, else ~/.local/share/apflow/apflow.db).
std::string database_path(const config::Config& config, const std::optional<std::string>& flag);

// Opens the configured backend; throws Error(CONFIG_INVALID) when it is not loaded or its
// section is invalid, and the backend's error when the database cannot be opened.
std::unique_ptr<engine::Store> open_store(const config::Config& config,
                                          const std::vector<plugins::StorageEntry>& backends,
                                          const std::optional<std::string>& db_flag);

}  // namespace apflow::app
