#include "storage_client.h"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <stdexcept>

namespace apflow::testing {
namespace {

struct Captured {
  bool registered = false;
  apflow_storage_def def{};
};

apflow_status refuse(apflow_registrar*, const apflow_module_def*, apflow_error_sink*) {
  return APFLOW_ERROR;
}
apflow_status refuse_protocol(apflow_registrar*, const apflow_protocol_def*, apflow_error_sink*) {
  return APFLOW_ERROR;
}
apflow_status capture(apflow_registrar* self, const apflow_storage_def* def, apflow_error_sink*) {
  auto* out = static_cast<Captured*>(self->host_data);
  out->def = *def;
  out->registered = true;
  return APFLOW_OK;
}
int log_enabled(const apflow_host_api*, apflow_log_level) {
  return 0;
}
void log(const apflow_host_api*, apflow_log_level, const char*) {}

Captured load() {
  void* library = dlopen(SQLITE_STORAGE_PLUGIN, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) throw std::runtime_error(dlerror());
  auto entry = reinterpret_cast<apflow_plugin_entry_fn>(dlsym(library, "apflow_plugin_entry"));
  if (entry == nullptr) throw std::runtime_error("no apflow_plugin_entry");
  const apflow_plugin* plugin = entry();
  static apflow_host_api host{};
  host.struct_size = sizeof(host);
  host.abi_major = APFLOW_ABI_MAJOR;
  host.abi_minor = APFLOW_ABI_MINOR;
  host.host_version = "test";
  host.log_enabled = &log_enabled;
  host.log = &log;
  Captured captured;
  apflow_registrar registrar{sizeof(apflow_registrar), &captured, &refuse, &refuse, &capture,
                             &refuse_protocol};
  if (plugin->init(&host, &registrar, "{}", 2, nullptr) != APFLOW_OK || !captured.registered) {
    throw std::runtime_error("the sqlite plugin did not register a storage backend");
  }
  return captured;
}

struct ErrorBox {
  std::string code, message, details;
};
void take_error(void* context, const apflow_error* error) {
  auto* box = static_cast<ErrorBox*>(context);
  box->code = error->code;
  box->message = error->message;
  box->details = error->details_json != nullptr ? error->details_json : "";
}
void take_text(void* context, const char* data, size_t size) {
  static_cast<std::string*>(context)->append(data, size);
}

}  // namespace

const apflow_storage_def& sqlite_backend() {
  static const Captured captured = load();
  return captured.def;
}

StoreHandle::StoreHandle(const std::string& config_json) {
  const auto& def = sqlite_backend();
  ErrorBox box;
  apflow_error_sink sink{sizeof(sink), &box, &take_error};
  if (def.ops->open(def.user_data, config_json.data(), config_json.size(), &storage_, &sink) !=
      APFLOW_OK) {
    storage_ = nullptr;
    error_code_ = box.code;
    error_message_ = box.message;
  }
}

StoreHandle::~StoreHandle() {
  if (storage_ != nullptr) sqlite_backend().ops->close(storage_);
}

StorageReply StoreHandle::call(StorageOp op, const std::string& request) {
  StorageReply reply;
  std::string text;
  ErrorBox box;
  apflow_text_sink out{sizeof(out), &text, &take_text};
  apflow_error_sink err{sizeof(err), &box, &take_error};
  const apflow_storage_ops* ops = sqlite_backend().ops;
  reply.ok = (ops->*op)(storage_, request.data(), request.size(), &out, &err) == APFLOW_OK;
  reply.code = box.code;
  reply.message = box.message;
  const std::string& body = reply.ok ? text : box.details;
  if (!body.empty()) reply.body.Parse(body.c_str());
  return reply;
}

rapidjson::Document StoreHandle::ok_call(StorageOp op, const std::string& request) {
  StorageReply reply = call(op, request);
  EXPECT_TRUE(reply.ok) << reply.code << ": " << reply.message << "\nrequest: " << request;
  return std::move(reply.body);
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "apflow-storage-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string sqlite_config(const std::string& path) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("backend");
  w.String("sqlite");
  w.Key("path");
  w.String(path.c_str());
  w.EndObject();
  return buffer.GetString();
}

}  // namespace apflow::testing
