// ModuleRecord: everything the host knows about one module; every surface (info, MCP, A2A, CLI,
// docs) derives what it shows from this one record.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "schema/schema.h"

namespace apflow::registry {

class ModuleCall;

// apcore annotations (apcore-protocols.md §1.3) with apcore's defaults.
struct Annotations {
  bool readonly = false;
  bool destructive = false;
  bool idempotent = false;
  bool requires_approval = false;
  bool open_world = true;
  bool streaming = false;
  // apcore's `extra`: namespaced keys ("mcp.category"), kept as a JSON object's text.
  std::string extra_json = "{}";
  // extra "apflow.inline": the executor does no I/O and returns at once (passthrough,
  // aggregate), so the engine may run it on its scheduling thread instead of handing it to a
  // worker and back.
  bool runs_inline = false;

  // Reads a JSON object; missing keys keep their defaults. Throws Error(GENERAL_INVALID_INPUT)
  // for malformed JSON, a non-object, an unknown key, a non-boolean value or an `extra` that is
  // not an object of namespaced keys.
  static Annotations from_json(std::string_view json);
  std::string to_json() const;
};

enum class ModuleKind { kModule, kExecutor };
std::string_view to_string(ModuleKind kind);

// Starts one call. The implementation must eventually call call.complete() exactly once.
using Invoker = std::function<void(ModuleCall& call, std::string_view input_json)>;

struct ModuleRecord {
  std::string id;  // module id, e.g. "apflow.hello_executor"
  ModuleKind kind = ModuleKind::kModule;
  std::string executor_id;  // for executors: the task type name, e.g. "hello_executor"
  std::string name;
  std::string description;
  std::string version = "1.0.0";
  std::string documentation;
  schema::Schema input_schema = schema::Schema::compile("{}");
  schema::Schema output_schema = schema::Schema::compile("{}");
  Annotations annotations;
  std::vector<std::string> tags;
  std::string examples_json = "[]";
  std::string owner;  // plugin id, or "apflow" for the host's own modules
  Invoker invoke;

  // The apcore ModuleDescriptor wire form (snake_case JSON object).
  std::string descriptor_json() const;
  // The first line of the description, for listings.
  std::string summary() const;
};

}  // namespace apflow::registry
