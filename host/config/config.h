// apflow::config: apflow.yaml + APFLOW_<SECTION>__<KEY> environment overrides over built-in
// defaults, validated against the host schema; every error names file:line (or the variable) and
// the dotted key. Includes core/ and schema/; app/ and the engine read it, plugins never do.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "schema/schema.h"

namespace apflow::config {

// What the loader reads from the process; injected so tests need not touch the real one.
struct Environment {
  std::map<std::string, std::string> vars;
  std::filesystem::path cwd;
  std::filesystem::path home;

  static Environment from_process();
};

struct LoadOptions {
  std::optional<std::filesystem::path> explicit_path;  // --config; relative to env.cwd
  Environment env;
};

// Search order: explicit_path (must exist), $APFLOW_CONFIG (must exist), <cwd>/apflow.yaml,
// $XDG_CONFIG_HOME/apflow/apflow.yaml or else ~/.config/apflow/apflow.yaml. nullopt: none found.
// Throws apflow::Error(codes::kConfigNotFound) when a path that must exist does not.
std::optional<std::filesystem::path> find_config_file(const LoadOptions& options);

class Config {
 public:
  // Throws apflow::Error(codes::kConfigInvalid or kConfigNotFound); the message starts with the
  // location ("/etc/apflow.yaml:4: ...") so it prints as one line.
  static Config load(const LoadOptions& options);
  static Config defaults();

  const std::optional<std::filesystem::path>& file() const;  // the file in use, if any
  const rapidjson::Value& root() const;                      // defaults <- file <- environment

  std::string log_level() const;
  // Absolute: relative entries from the file resolve against the file's directory, those from
  // the environment against the working directory; "~/" means the home directory.
  std::vector<std::string> plugin_paths() const;
  std::vector<std::string> disabled_plugins() const;
  int64_t default_timeout_ms() const;
  std::vector<std::string> plugin_section_ids() const;                // ids with plugins.<id>
  std::string plugin_section_json(std::string_view plugin_id) const;  // "{}" when absent

  // Checks plugins.<id> against the schema the plugin declares; nullptr means the plugin takes
  // no configuration, so a non-empty section is an error. Throws Error(kConfigInvalid).
  void validate_plugin_section(std::string_view plugin_id, const schema::Schema* schema) const;

  // Where the value at `json_pointer` (or its nearest existing parent) came from:
  // "<file>:12", "environment variable APFLOW_LOG__LEVEL" or "default".
  std::string location_of(std::string_view json_pointer) const;

  struct State;  // defined in config.cpp

 private:
  explicit Config(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

}  // namespace apflow::config
