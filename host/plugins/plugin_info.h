// What the host knows about each plugin file and what it registered.
#pragma once

#include <apflow/abi.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "schema/schema.h"

namespace apflow::plugins {

enum class PluginStatus { kLoaded, kFailed, kDisabled };
std::string_view to_string(PluginStatus status);

struct PluginInfo {
  std::filesystem::path file;
  std::string id;  // empty when the file could not be read as a plugin
  std::string version;
  std::string description;
  uint32_t abi_major = 0;
  uint32_t abi_minor = 0;
  PluginStatus status = PluginStatus::kFailed;
  std::string reason;              // why it failed or is disabled
  std::string config_schema_json;  // the schema of plugins.<id>; empty when it takes none
  std::vector<std::string> modules;
  std::vector<std::string> storage_backends;
  std::vector<std::string> protocols;
};

// A protocol front-end a plugin registered.
struct ProtocolEntry {
  std::string id;
  std::string description;
  std::string command;
  std::string owner;
  int (*run)(void* user_data, const apflow_host_api* host, int argc, const char* const* argv);
  void (*request_stop)(void* user_data);
  void* user_data;
  const apflow_host_api* host_api;  // the owner's host table
};

// A storage backend a plugin registered.
struct StorageEntry {
  std::string id;
  std::string description;
  std::string owner;
  schema::Schema config_schema;
  const apflow_storage_ops* ops;
  void* user_data;
};

}  // namespace apflow::plugins
