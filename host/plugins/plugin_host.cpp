#include "plugins/plugin_host.h"

#define BOOST_DLL_USE_STD_FS
#include <dlfcn.h>
#include <spdlog/spdlog.h>
#include <boost/dll/shared_library.hpp>

#include <algorithm>

#include "core/error.h"
#include "registry/module_id.h"

namespace apflow::plugins {
namespace fs = std::filesystem;

struct PluginHost::Loaded {
  boost::dll::shared_library library;
};

namespace {

std::string sizes(uint32_t got, size_t want) {
  return std::to_string(got) + " bytes, smaller than ABI v" + std::to_string(APFLOW_ABI_MAJOR) +
         "'s " + std::to_string(want);
}

}  // namespace

std::string_view to_string(PluginStatus status) {
  switch (status) {
    case PluginStatus::kLoaded:
      return "loaded";
    case PluginStatus::kDisabled:
      return "disabled";
    default:
      return "failed";
  }
}

PluginHost::PluginHost(registry::Registry& registry, registry::CallPipeline& pipeline,
                       EventBus& events, const config::Config& config)
    : registry_(registry), pipeline_(pipeline), events_(events), config_(config) {}

PluginHost::~PluginHost() {
  for (auto it = initialised_.rbegin(); it != initialised_.rend(); ++it) {
    if ((*it)->shutdown != nullptr) (*it)->shutdown();
  }
  // Libraries were opened with RTLD_NODELETE: closing the handles leaves their code mapped,
  // since thread-local destructors or static objects of theirs may still run until exit.
}

void PluginHost::load_all(const std::vector<fs::path>& directories) {
  directories_ = directories;
  for (const auto& directory : directories) load_directory(directory);
  check_unclaimed_config_sections();
}

void PluginHost::load_directory(const fs::path& directory) {
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    spdlog::warn("plugin directory {} does not exist; skipped", directory.string());
    return;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    if (entry.path().extension() == ".so" && !entry.is_directory()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) load_file(file);
}

void PluginHost::load_file(const fs::path& file) {
  PluginInfo info;
  info.file = file;
  const apflow_plugin* plugin = open_plugin(file, info);
  if (plugin != nullptr) {
    const auto& disabled = config_.disabled_plugins();
    if (std::find(disabled.begin(), disabled.end(), info.id) != disabled.end()) {
      info.status = PluginStatus::kDisabled;
      info.reason = "disabled by plugins.disabled";
    } else {
      initialise(*plugin, info);
    }
  }
  if (info.status == PluginStatus::kFailed) {
    spdlog::error("plugin {} refused: {}", file.string(), info.reason);
  }
  plugins_.push_back(std::move(info));
}

const apflow_plugin* PluginHost::open_plugin(const fs::path& file, PluginInfo& info) {
  auto loaded = std::make_unique<Loaded>();
  std::error_code ec;
  dlerror();
  const auto mode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                    static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);
  loaded->library.load(file, mode, ec);
  if (ec) {
    const char* why = dlerror();
    info.reason =
        std::string("not a loadable shared library: ") + (why != nullptr ? why : ec.message());
    return nullptr;
  }
  if (!loaded->library.has(APFLOW_PLUGIN_ENTRY_SYMBOL)) {
    info.reason =
        "no entry point apflow_plugin_entry; is it an apflow plugin built with "
        "APFLOW_PLUGIN(...)?";
    return nullptr;
  }
  auto entry = loaded->library.get<const apflow_plugin*()>(APFLOW_PLUGIN_ENTRY_SYMBOL);
  const apflow_plugin* plugin = entry();
  libraries_.push_back(std::move(loaded));  // keep it mapped whatever happens next
  if (plugin == nullptr) {
    info.reason = "apflow_plugin_entry returned NULL";
    return nullptr;
  }
  if (plugin->struct_size < offsetof(apflow_plugin, abi_minor) + sizeof(uint32_t)) {
    info.reason = "its plugin table is " + sizes(plugin->struct_size, APFLOW_PLUGIN_V1_SIZE);
    return nullptr;
  }
  info.abi_major = plugin->abi_major;
  info.abi_minor = plugin->abi_minor;
  if (plugin->abi_major != APFLOW_ABI_MAJOR) {
    info.reason = "built for plugin ABI v" + std::to_string(plugin->abi_major) + "." +
                  std::to_string(plugin->abi_minor) + ", but this apflow speaks ABI v" +
                  std::to_string(APFLOW_ABI_MAJOR) + "." + std::to_string(APFLOW_ABI_MINOR) +
                  "; rebuild it against a matching apflow-sdk";
    return nullptr;
  }
  if (plugin->struct_size < APFLOW_PLUGIN_V1_SIZE) {
    info.reason = "its plugin table is " + sizes(plugin->struct_size, APFLOW_PLUGIN_V1_SIZE) +
                  "; rebuild it against the current apflow-sdk";
    return nullptr;
  }
  if (plugin->id == nullptr || plugin->init == nullptr) {
    info.reason = "its plugin table has no id or no init function";
    return nullptr;
  }
  info.id = plugin->id;
  info.version = plugin->version != nullptr ? plugin->version : "";
  info.description = plugin->description != nullptr ? plugin->description : "";
  if (plugin->config_schema_json != nullptr) info.config_schema_json = plugin->config_schema_json;
  try {
    registry::check_simple_id(info.id, "plugin id");
  } catch (const Error& e) {
    info.reason = e.what();
    return nullptr;
  }
  if (info.id == "paths" || info.id == "disabled") {
    info.reason = "plugin id '" + info.id + "' is reserved (it names a plugins.* setting)";
    return nullptr;
  }
  for (const auto& other : plugins_) {
    if (other.id == info.id && other.status != PluginStatus::kFailed) {
      info.reason = "plugin id '" + info.id + "' is already taken by " + other.file.string();
      return nullptr;
    }
  }
  return plugin;
}

void PluginHost::initialise(const apflow_plugin& plugin, PluginInfo& info) {
  std::optional<schema::Schema> config_schema;
  if (plugin.config_schema_json != nullptr) {
    try {
      config_schema = schema::Schema::compile(plugin.config_schema_json);
    } catch (const Error& e) {
      info.reason = std::string("its config schema is invalid: ") + e.what();
      return;
    }
  }
  // A bad config section is the user's to fix: stop before anything runs.
  config_.validate_plugin_section(info.id, config_schema ? &*config_schema : nullptr);
  const std::string config = config_.plugin_section_json(info.id);

  auto binding = std::make_unique<PluginBinding>(info.id, registry_, pipeline_, events_);
  std::string failure;
  apflow_error_sink sink{sizeof(apflow_error_sink), &failure,
                         [](void* context, const apflow_error* error) {
                           auto* text = static_cast<std::string*>(context);
                           *text = std::string(error->message != nullptr ? error->message : "") +
                                   " (" + (error->code != nullptr ? error->code : "?") + ")";
                         }};
  const apflow_status status =
      plugin.init(binding->host_api(), binding->registrar(), config.data(), config.size(), &sink);
  if (status != APFLOW_OK) {
    binding->roll_back();
    info.reason = "init failed: " + (failure.empty() ? std::string("no reason given") : failure);
    // It may hold resources from a partial init; give it the chance to release them.
    if (plugin.shutdown != nullptr) plugin.shutdown();
    bindings_.push_back(std::move(binding));
    return;
  }
  info.status = PluginStatus::kLoaded;
  info.modules = binding->modules();
  for (const auto& entry : binding->storage_backends()) info.storage_backends.push_back(entry.id);
  for (const auto& entry : binding->protocols()) info.protocols.push_back(entry.id);
  initialised_.push_back(&plugin);
  bindings_.push_back(std::move(binding));
}

void PluginHost::check_unclaimed_config_sections() const {
  for (const auto& id : config_.plugin_section_ids()) {
    const bool found = std::any_of(plugins_.begin(), plugins_.end(),
                                   [&](const PluginInfo& p) { return p.id == id; });
    if (found) continue;
    std::string known;
    for (const auto& p : plugins_) {
      if (p.id.empty()) continue;
      known += (known.empty() ? "" : ", ") + p.id;
    }
    throw Error(codes::kConfigInvalid,
                config_.location_of("/plugins/" + id) + ": 'plugins." + id +
                    "' configures a plugin that was not found (plugins found: " +
                    (known.empty() ? std::string("none") : known) + ")");
  }
}

std::vector<ProtocolEntry> PluginHost::protocols() const {
  std::vector<ProtocolEntry> out;
  for (const auto& binding : bindings_) {
    out.insert(out.end(), binding->protocols().begin(), binding->protocols().end());
  }
  return out;
}

std::vector<StorageEntry> PluginHost::storage_backends() const {
  std::vector<StorageEntry> out;
  for (const auto& binding : bindings_) {
    out.insert(out.end(), binding->storage_backends().begin(), binding->storage_backends().end());
  }
  return out;
}

}  // namespace apflow::plugins
