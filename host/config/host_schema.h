// The host's own configuration keys as a JSON Schema, and their defaults. Internal to host/config
// apart from host_config_schema(), which `apflow config` style commands may show.
#pragma once

#include <string_view>

#include "schema/schema.h"

namespace apflow::config {

// Plugin ids, as the config accepts them for plugins.<id> sections.
inline constexpr std::string_view kPluginIdPattern = "^[a-z][a-z0-9_]*$";

// The compiled schema of apflow.yaml's host keys (plugin sections accept any object here; each
// is checked later against the schema its plugin declares).
const schema::Schema& host_config_schema();

// The defaults of every host key, as JSON.
std::string_view host_config_defaults_json();

}  // namespace apflow::config
