#include "plugins/plugin_binding.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "core/error.h"
#include "registry/abi_edge.h"
#include "registry/module_id.h"

// The handle behind apflow_invocation: a call started through apflow_host_api::invoke.
struct apflow_invocation {
  std::shared_ptr<apflow::registry::ModuleCall> call;  // null when refused before running
};

// The handle behind apflow_subscription.
struct apflow_subscription {
  apflow::EventBus* bus;
  apflow::EventBus::Id id;
};

namespace apflow::plugins {
namespace {

const char* version_string() {
  return APFLOW_VERSION;
}

// Runs `body`, turning an apflow::Error into a reported error and APFLOW_ERROR.
template <typename Body>
apflow_status guarded(apflow_error_sink* sink, Body&& body) noexcept {
  try {
    body();
    return APFLOW_OK;
  } catch (const Error& e) {
    registry::report_error(sink, e.code(), e.what());
  } catch (const std::exception& e) {
    registry::report_error(sink, codes::kGeneralInternalError, e.what());
  }
  return APFLOW_ERROR;
}

std::string text_or(const char* text, const char* fallback) {
  return text != nullptr ? text : fallback;
}

schema::Schema compile_schema(const char* json, const std::string& what) {
  try {
    return schema::Schema::compile(json != nullptr ? json : "{}");
  } catch (const Error& e) {
    throw Error(codes::kSchemaParseError, what + ": " + e.what());
  }
}

std::vector<std::string> parse_tags(const char* json, const std::string& id) {
  std::vector<std::string> tags;
  if (json == nullptr) return tags;
  rapidjson::Document doc;
  doc.Parse(json);
  if (doc.HasParseError() || !doc.IsArray()) {
    throw Error(codes::kGeneralInvalidInput, "tags of '" + id + "' must be a JSON array");
  }
  for (const auto& tag : doc.GetArray()) {
    if (!tag.IsString()) {
      throw Error(codes::kGeneralInvalidInput, "tags of '" + id + "' must be strings");
    }
    tags.emplace_back(tag.GetString());
  }
  return tags;
}

// Examples must be an array of {title, inputs, ...} whose inputs satisfy the input schema.
std::string checked_examples(const char* json, const registry::ModuleRecord& record) {
  if (json == nullptr) return "[]";
  rapidjson::Document doc;
  doc.Parse(json);
  if (doc.HasParseError() || !doc.IsArray()) {
    throw Error(codes::kGeneralInvalidInput, "examples of '" + record.id + "' must be an array");
  }
  for (const auto& example : doc.GetArray()) {
    if (!example.IsObject() || !example.HasMember("inputs")) {
      throw Error(codes::kGeneralInvalidInput,
                  "each example of '" + record.id + "' must be an object with 'inputs'");
    }
    if (auto violation = record.input_schema.validate(example["inputs"])) {
      throw Error(
          codes::kGeneralInvalidInput,
          "an example of '" + record.id + "' has invalid inputs: " + schema::describe(*violation));
    }
  }
  return json;
}

}  // namespace

// The C entry points of the tables; each finds its binding through host_data.
struct BindingTrampolines {
  static int log_enabled(const apflow_host_api*, apflow_log_level level) {
    return spdlog::should_log(registry::to_spdlog(level)) ? 1 : 0;
  }
  static void log(const apflow_host_api* api, apflow_log_level level, const char* message) {
    spdlog::log(registry::to_spdlog(level), "[{}] {}", PluginBinding::self(api).plugin_id_,
                message != nullptr ? message : "");
  }
  static apflow_status list_modules(const apflow_host_api* api, apflow_text_sink* out,
                                    apflow_error_sink* error) {
    return guarded(error, [&] {
      const std::string json = PluginBinding::self(api).registry_.descriptors_json();
      if (out != nullptr && out->write != nullptr)
        out->write(out->context, json.data(), json.size());
    });
  }
  static apflow_status invoke(const apflow_host_api* api, const apflow_invoke_request* request,
                              apflow_invocation** out, apflow_error_sink* error);
  static void cancel_invocation(apflow_invocation* invocation) {
    if (invocation != nullptr && invocation->call) invocation->call->cancel();
  }
  static void release_invocation(apflow_invocation* invocation) { delete invocation; }
  static apflow_status subscribe_events(const apflow_host_api* api, const char* filter,
                                        size_t filter_size, void* user_data,
                                        void (*on_event)(void*, const char*, size_t),
                                        apflow_subscription** out, apflow_error_sink* error);
  static void release_subscription(apflow_subscription* subscription) {
    if (subscription == nullptr) return;
    subscription->bus->unsubscribe(subscription->id);
    delete subscription;
  }

  static apflow_status register_module(apflow_registrar* r, const apflow_module_def* def,
                                       apflow_error_sink* error) {
    return guarded(error, [&] { PluginBinding::self(r).add_module(def, false); });
  }
  static apflow_status register_executor(apflow_registrar* r, const apflow_module_def* def,
                                         apflow_error_sink* error) {
    return guarded(error, [&] { PluginBinding::self(r).add_module(def, true); });
  }
  static apflow_status register_storage(apflow_registrar* r, const apflow_storage_def* def,
                                        apflow_error_sink* error) {
    return guarded(error, [&] { PluginBinding::self(r).add_storage(def); });
  }
  static apflow_status register_protocol(apflow_registrar* r, const apflow_protocol_def* def,
                                         apflow_error_sink* error) {
    return guarded(error, [&] { PluginBinding::self(r).add_protocol(def); });
  }
};

apflow_status BindingTrampolines::invoke(const apflow_host_api* api,
                                         const apflow_invoke_request* request,
                                         apflow_invocation** out, apflow_error_sink* error) {
  return guarded(error, [&] {
    if (request == nullptr || request->struct_size < APFLOW_INVOKE_REQUEST_V1_SIZE ||
        request->module_id == nullptr || request->on_done == nullptr || out == nullptr) {
      throw Error(codes::kGeneralInvalidInput,
                  "invoke needs a full apflow_invoke_request with module_id and on_done");
    }
    PluginBinding& binding = PluginBinding::self(api);
    registry::CallRequest call_request;
    call_request.module_id = request->module_id;
    call_request.input_json.assign(request->input_json != nullptr ? request->input_json : "{}",
                                   request->input_json != nullptr ? request->input_size : 2);
    call_request.timeout_ms = request->timeout_ms;
    call_request.identity.caller_id = text_or(request->caller_id, binding.plugin_id_.c_str());
    // The ABI lets on_done arrive before invoke() returns: a module declared instant
    // ("apflow.inline") runs on the plugin's thread, sparing two thread hand-offs per call.
    call_request.allow_inline = true;
    registry::CallObserver observer;
    void* user_data = request->user_data;
    if (auto on_progress = request->on_progress) {
      observer.on_progress = [on_progress, user_data](double fraction, std::string_view message) {
        const std::string text(message);
        on_progress(user_data, fraction, text.c_str());
      };
    }
    auto on_done = request->on_done;
    observer.on_done = [on_done, user_data](const registry::CallOutcome& outcome) {
      if (outcome.ok()) {
        on_done(user_data, APFLOW_OK, outcome.output_json.data(), outcome.output_json.size(),
                nullptr);
        return;
      }
      const apflow_error error{
          sizeof(apflow_error), outcome.error_code.c_str(), outcome.error_message.c_str(),
          outcome.error_details_json.empty() ? nullptr : outcome.error_details_json.c_str(),
          outcome.retryable ? 1 : 0};
      on_done(user_data, outcome.status, nullptr, 0, &error);
    };
    auto handle = std::make_unique<apflow_invocation>();
    handle->call = binding.pipeline_.start(std::move(call_request), std::move(observer));
    *out = handle.release();
  });
}

apflow_status BindingTrampolines::subscribe_events(const apflow_host_api* api, const char* filter,
                                                   size_t filter_size, void* user_data,
                                                   void (*on_event)(void*, const char*, size_t),
                                                   apflow_subscription** out,
                                                   apflow_error_sink* error) {
  return guarded(error, [&] {
    if (on_event == nullptr || out == nullptr) {
      throw Error(codes::kGeneralInvalidInput, "subscribe_events needs on_event and out");
    }
    std::string tree_id;
    if (filter != nullptr && filter_size > 0) {
      rapidjson::Document doc;
      doc.Parse(filter, filter_size);
      if (doc.HasParseError() || !doc.IsObject()) {
        throw Error(codes::kGeneralInvalidInput, "the event filter must be a JSON object");
      }
      for (const auto& member : doc.GetObject()) {
        if (std::string_view(member.name.GetString()) != "task_tree_id" ||
            !member.value.IsString()) {
          throw Error(codes::kGeneralInvalidInput,
                      "the event filter accepts only {\"task_tree_id\": \"<id>\"}");
        }
        tree_id = member.value.GetString();
      }
    }
    EventBus& bus = PluginBinding::self(api).events_;
    const auto id = bus.subscribe(std::move(tree_id), [on_event, user_data](std::string_view e) {
      on_event(user_data, e.data(), e.size());
    });
    *out = new apflow_subscription{&bus, id};
  });
}

PluginBinding::PluginBinding(std::string plugin_id, registry::Registry& registry,
                             registry::CallPipeline& pipeline, EventBus& events)
    : plugin_id_(std::move(plugin_id)), registry_(registry), pipeline_(pipeline), events_(events) {
  host_api_ = apflow_host_api{sizeof(apflow_host_api),
                              APFLOW_ABI_MAJOR,
                              APFLOW_ABI_MINOR,
                              version_string(),
                              this,
                              &BindingTrampolines::log_enabled,
                              &BindingTrampolines::log,
                              &BindingTrampolines::list_modules,
                              &BindingTrampolines::invoke,
                              &BindingTrampolines::cancel_invocation,
                              &BindingTrampolines::release_invocation,
                              &BindingTrampolines::subscribe_events,
                              &BindingTrampolines::release_subscription};
  registrar_ = apflow_registrar{sizeof(apflow_registrar),
                                this,
                                &BindingTrampolines::register_module,
                                &BindingTrampolines::register_executor,
                                &BindingTrampolines::register_storage,
                                &BindingTrampolines::register_protocol};
}

PluginBinding& PluginBinding::self(const apflow_host_api* api) {
  return *static_cast<PluginBinding*>(api->host_data);
}
PluginBinding& PluginBinding::self(apflow_registrar* registrar) {
  return *static_cast<PluginBinding*>(registrar->host_data);
}

registry::ModuleRecord PluginBinding::to_record(const apflow_module_def& def, bool is_executor,
                                                const std::string& owner) {
  if (def.struct_size < APFLOW_MODULE_DEF_V1_SIZE) {
    throw Error(codes::kGeneralInvalidInput,
                "a module definition of " + std::to_string(def.struct_size) +
                    " bytes is smaller than ABI v1's " + std::to_string(APFLOW_MODULE_DEF_V1_SIZE) +
                    "; rebuild against the SDK");
  }
  if (def.id == nullptr || def.invoke == nullptr) {
    throw Error(codes::kGeneralInvalidInput,
                "a module definition needs an id and an invoke function");
  }
  registry::ModuleRecord record;
  if (is_executor) {
    registry::check_simple_id(def.id, "executor id");
    record.kind = registry::ModuleKind::kExecutor;
    record.executor_id = def.id;
    record.id = registry::executor_module_id(def.id);
  } else {
    record.id = def.id;
  }
  record.name = text_or(def.name, "");
  record.description = text_or(def.description, "");
  record.version = text_or(def.version, "1.0.0");
  record.documentation = text_or(def.documentation, "");
  record.input_schema =
      compile_schema(def.input_schema_json, "input schema of '" + record.id + "'");
  record.output_schema =
      compile_schema(def.output_schema_json, "output schema of '" + record.id + "'");
  if (def.annotations_json != nullptr) {
    record.annotations = registry::Annotations::from_json(def.annotations_json);
  }
  record.tags = parse_tags(def.tags_json, record.id);
  record.examples_json = checked_examples(def.examples_json, record);
  record.owner = owner;
  const apflow_invoke_fn invoke = def.invoke;
  void* user_data = def.user_data;
  record.invoke = [invoke, user_data](registry::ModuleCall& call, std::string_view input) {
    invoke(user_data, call.abi(), input.data(), input.size());
  };
  if (record.description.size() > 200) {
    spdlog::warn("module '{}': its description has {} characters; apcore asks for at most 200",
                 record.id, record.description.size());
  }
  return record;
}

void PluginBinding::add_module(const apflow_module_def* def, bool is_executor) {
  if (def == nullptr) throw Error(codes::kGeneralInvalidInput, "the module definition is NULL");
  auto record = to_record(*def, is_executor, plugin_id_);
  const std::string id = record.id;
  registry_.add(std::move(record));
  modules_.push_back(id);
}

void PluginBinding::add_storage(const apflow_storage_def* def) {
  if (def == nullptr || def->struct_size < APFLOW_STORAGE_DEF_V1_SIZE || def->id == nullptr ||
      def->ops == nullptr || def->ops->struct_size < APFLOW_STORAGE_OPS_V1_SIZE) {
    throw Error(codes::kGeneralInvalidInput,
                "a storage definition needs an id and an ops table of at least ABI v1's size");
  }
  registry::check_simple_id(def->id, "storage backend id");
  storage_.push_back(
      StorageEntry{def->id, text_or(def->description, ""), plugin_id_,
                   compile_schema(def->config_schema_json,
                                  std::string("config schema of storage '") + def->id + "'"),
                   def->ops, def->user_data});
}

void PluginBinding::add_protocol(const apflow_protocol_def* def) {
  if (def == nullptr || def->struct_size < APFLOW_PROTOCOL_DEF_V1_SIZE || def->id == nullptr ||
      def->run == nullptr) {
    throw Error(codes::kGeneralInvalidInput,
                "a protocol definition needs an id and a run function");
  }
  registry::check_simple_id(def->id, "protocol id");
  protocols_.push_back(ProtocolEntry{def->id, text_or(def->description, ""),
                                     text_or(def->command, ""), plugin_id_, def->run,
                                     def->request_stop, def->user_data, &host_api_});
}

void PluginBinding::roll_back() {
  registry_.remove_owner(plugin_id_);
  modules_.clear();
  protocols_.clear();
  storage_.clear();
}

}  // namespace apflow::plugins
