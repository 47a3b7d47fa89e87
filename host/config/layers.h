// The layers of the configuration: defaults, then the file, then environment overrides
// (APFLOW_<SECTION>__<KEY>[__<SUBKEY>...]). Internal to host/config.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace apflow::config::detail {

// One key set by an environment variable, for error locations.
struct EnvOrigin {
  std::string pointer;
  std::string variable;
  bool whole_value;  // false: a section the variable only created on its way to the key
};

// Lays `source` over `target`: objects merge key by key, anything else replaces; a null in
// `source` leaves the target's value as it was (an empty `key:` means "the default").
void merge_layer(rapidjson::Value& target, const rapidjson::Value& source,
                 rapidjson::Document::AllocatorType& allocator);

// Applies every APFLOW_*__* variable of `vars`, in name order. Throws apflow::Error
// (codes::kConfigInvalid) starting "environment variable <NAME>: ".
std::vector<EnvOrigin> apply_env_overrides(const std::map<std::string, std::string>& vars,
                                           rapidjson::Document& root);

}  // namespace apflow::config::detail
