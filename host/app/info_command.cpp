#include "app/info_command.h"

#include <apflow/abi.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>

#include "app/engine_setup.h"

namespace apflow::app {
namespace {

using plugins::PluginInfo;
using plugins::PluginStatus;

std::string abi_text(const PluginInfo& plugin) {
  if (plugin.abi_major == 0 && plugin.abi_minor == 0) return "-";
  return std::to_string(plugin.abi_major) + "." + std::to_string(plugin.abi_minor);
}

std::string padded(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

const char* backoff_name(durability::Backoff backoff) {
  switch (backoff) {
    case durability::Backoff::kFixed:
      return "fixed";
    case durability::Backoff::kLinear:
      return "linear";
    case durability::Backoff::kExponential:
      return "exponential";
  }
  return "exponential";
}

// Retry defaults and the circuit breakers (their settings, and the state of any this process
// has: a one-shot command starts with none; a serving process answers
// apflow.durability.breakers with its own).
void print_durability_text(Runtime& runtime, std::ostream& out) {
  const auto settings = engine_config(runtime.config());
  const auto& retry = settings.retry;
  const auto breakers = runtime.engine().breakers(rapidjson::Value(rapidjson::kObjectType));
  const auto& config = breakers["config"];
  out << "Durability:\n  retries   " << backoff_name(retry.backoff) << " backoff, " << retry.base_ms
      << " ms to " << retry.max_ms << " ms" << (retry.jitter ? ", jitter" : "")
      << "; attempts per task: max_attempts (default " << settings.default_max_attempts << ")\n";
  out << "  breakers  open after " << config["failure_threshold"].GetUint()
      << " failures in a row, probe after " << config["reset_timeout_ms"].GetInt64()
      << " ms, while open: " << config["when_open"].GetString() << "\n";
  if (breakers["breakers"].Empty()) {
    out << "  open now  none in this process\n";
    return;
  }
  for (const auto& b : breakers["breakers"].GetArray()) {
    out << "  " << padded(b["executor_id"].GetString(), 26) << b["state"].GetString() << ", "
        << b["failures"].GetUint() << " failures in a row\n";
  }
}

}  // namespace

void print_info_text(Runtime& runtime, std::ostream& out) {
  out << "apflow " << APFLOW_VERSION << " (plugin ABI v" << APFLOW_ABI_MAJOR << "."
      << APFLOW_ABI_MINOR << ")\n";
  const auto& file = runtime.config().file();
  out << "Config: " << (file ? file->string() : "none found; built-in defaults") << "\n";
  out << "Plugin directories:\n";
  for (const auto& dir : runtime.plugins().directories()) out << "  " << dir.string() << "\n";

  const auto& plugins = runtime.plugins().plugins();
  const auto loaded = std::count_if(plugins.begin(), plugins.end(), [](const PluginInfo& p) {
    return p.status == PluginStatus::kLoaded;
  });
  out << "Plugins (" << loaded << " loaded, " << plugins.size() - static_cast<size_t>(loaded)
      << " not):\n";
  for (const auto& p : plugins) {
    out << "  " << padded(p.id.empty() ? "?" : p.id, 16)
        << padded(p.version.empty() ? "-" : p.version, 9) << "ABI " << padded(abi_text(p), 6)
        << padded(std::string(plugins::to_string(p.status)), 10) << p.file.string();
    if (!p.reason.empty()) out << "\n" << std::string(18, ' ') << "reason: " << p.reason;
    out << "\n";
  }

  const auto modules = runtime.registry().list();
  size_t width = 0;
  for (const auto& m : modules) width = std::max(width, m->id.size());
  out << "Modules (" << modules.size() << "):\n";
  for (const auto& m : modules) {
    out << "  " << padded(m->id, width + 2) << padded(std::string(registry::to_string(m->kind)), 10)
        << m->summary() << "\n";
  }
  const auto storage = runtime.plugins().storage_backends();
  if (!storage.empty()) {
    out << "Storage backends:\n";
    for (const auto& s : storage) out << "  " << padded(s.id, 16) << s.description << "\n";
  }
  const auto protocols = runtime.plugins().protocols();
  if (!protocols.empty()) {
    out << "Protocols:\n";
    for (const auto& p : protocols) {
      out << "  " << padded(p.id, 16) << padded(p.command.empty() ? "" : "apflow " + p.command, 20)
          << p.description << "\n";
    }
  }
  print_durability_text(runtime, out);
}

void print_info_json(Runtime& runtime, std::ostream& out) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("version"), w.String(APFLOW_VERSION);
  w.Key("abi"), w.StartObject();
  w.Key("major"), w.Uint(APFLOW_ABI_MAJOR);
  w.Key("minor"), w.Uint(APFLOW_ABI_MINOR);
  w.EndObject();
  w.Key("config_file");
  if (const auto& file = runtime.config().file()) {
    w.String(file->string());
  } else {
    w.Null();
  }
  w.Key("plugin_directories"), w.StartArray();
  for (const auto& dir : runtime.plugins().directories()) w.String(dir.string());
  w.EndArray();
  auto strings = [&w](const std::vector<std::string>& items) {
    w.StartArray();
    for (const auto& item : items) w.String(item);
    w.EndArray();
  };
  w.Key("plugins"), w.StartArray();
  for (const auto& p : runtime.plugins().plugins()) {
    w.StartObject();
    w.Key("id"), p.id.empty() ? w.Null() : w.String(p.id);
    w.Key("version"), w.String(p.version);
    w.Key("abi"), w.String(abi_text(p));
    w.Key("status"), w.String(std::string(plugins::to_string(p.status)));
    w.Key("reason"), p.reason.empty() ? w.Null() : w.String(p.reason);
    w.Key("file"), w.String(p.file.string());
    w.Key("description"), w.String(p.description);
    w.Key("config_schema");
    rapidjson::Document schema;
    schema.Parse(p.config_schema_json.c_str());
    p.config_schema_json.empty() || schema.HasParseError() ? w.Null() : schema.Accept(w);
    w.Key("modules"), strings(p.modules);
    w.Key("storage_backends"), strings(p.storage_backends);
    w.Key("protocols"), strings(p.protocols);
    w.EndObject();
  }
  w.EndArray();
  w.Key("modules"), w.StartArray();
  for (const auto& m : runtime.registry().list()) {
    w.StartObject();
    w.Key("id"), w.String(m->id);
    w.Key("kind"), w.String(std::string(registry::to_string(m->kind)));
    w.Key("description"), w.String(m->summary());
    w.Key("owner"), w.String(m->owner);
    w.Key("version"), w.String(m->version);
    w.EndObject();
  }
  w.EndArray();
  w.Key("storage_backends"), w.StartArray();
  for (const auto& s : runtime.plugins().storage_backends()) {
    w.StartObject();
    w.Key("id"), w.String(s.id);
    w.Key("plugin"), w.String(s.owner);
    w.Key("description"), w.String(s.description);
    w.EndObject();
  }
  w.EndArray();
  w.Key("protocols"), w.StartArray();
  for (const auto& p : runtime.plugins().protocols()) {
    w.StartObject();
    w.Key("id"), w.String(p.id);
    w.Key("plugin"), w.String(p.owner);
    w.Key("command"), p.command.empty() ? w.Null() : w.String(p.command);
    w.Key("description"), w.String(p.description);
    w.EndObject();
  }
  w.EndArray();
  w.Key("durability");
  runtime.engine().breakers(rapidjson::Value(rapidjson::kObjectType)).Accept(w);
  w.EndObject();
  out << buffer.GetString() << "\n";
}

}  // namespace apflow::app
