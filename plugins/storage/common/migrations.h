// Schema migrations: applied in id order when a store opens, each in its own transaction and
// recorded in apflow_schema_migrations, so opening an up-to-date store changes nothing.
#pragma once

#include <soci/soci.h>

#include <string>
#include <vector>

#include "storage/common/dialect.h"

namespace apflow::plugins::storage {

// Applies every migration not yet recorded; `version` is written beside each one.
// Returns the ids it applied (empty when the schema was current).
std::vector<std::string> migrate(soci::session& sql, const Dialect& dialect,
                                 const std::string& version);

// Every migration this library knows, in the order it applies them.
std::vector<std::string> migration_ids();

}  // namespace apflow::plugins::storage
