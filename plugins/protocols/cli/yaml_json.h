// YAML to JSON for task files: YAML 1.2 core-schema scalars (null, booleans, integers, floats),
// quoted scalars always strings.
#pragma once

#include <apflow/sdk/json.h>

#include <string_view>

namespace apflow::plugins::cli {

// Parses YAML text into a JSON document. Throws sdk::Error(GENERAL_INVALID_INPUT) naming
// `label`, the line and the column of a syntax error, or a value JSON cannot hold.
sdk::Json yaml_to_json(std::string_view text, std::string_view label);

}  // namespace apflow::plugins::cli
