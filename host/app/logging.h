// Logging setup: spdlog to stderr only (stdout belongs to command output and protocols).
#pragma once

#include <optional>
#include <string>

namespace apflow::app {

// Installs the stderr logger at `info` (or $APFLOW_LOG_LEVEL when set).
void init_logging();

// Sets the level: --log-level wins over $APFLOW_LOG_LEVEL, which wins over log.level in config.
// Throws apflow::Error(GENERAL_INVALID_INPUT) for an unknown level name.
void apply_log_level(const std::optional<std::string>& flag, const std::string& configured);

}  // namespace apflow::app
