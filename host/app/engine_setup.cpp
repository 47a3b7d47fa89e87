#include "app/engine_setup.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <filesystem>

#include "core/error.h"

namespace apflow::app {
namespace {

const rapidjson::Value* section(const config::Config& config, const char* name) {
  const auto& root = config.root();
  auto it = root.FindMember(name);
  return it != root.MemberEnd() && it->value.IsObject() ? &it->value : nullptr;
}

int64_t integer(const rapidjson::Value* object, const char* key, int64_t fallback) {
  if (object == nullptr) return fallback;
  auto it = object->FindMember(key);
  return it != object->MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : fallback;
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

engine::EngineConfig engine_config(const config::Config& config) {
  const auto* engine = section(config, "engine");
  engine::EngineConfig out;
  out.max_parallel = static_cast<size_t>(integer(engine, "max_parallel", 8));
  out.lease_ms = integer(engine, "lease_ms", out.lease_ms);
  out.default_task_timeout_ms =
      integer(engine, "default_task_timeout_ms", out.default_task_timeout_ms);
  out.batch_size = static_cast<size_t>(integer(engine, "batch_size", 1000));
  out.schedule_poll_ms = integer(engine, "schedule_poll_ms", out.schedule_poll_ms);
  out.max_lease_expiries = integer(engine, "max_lease_expiries", out.max_lease_expiries);
  if (const auto* retry_section = section(config, "durability")) {
    out.default_max_attempts =
        static_cast<int>(integer(retry_section, "max_attempts", out.default_max_attempts));
    auto& retry = out.retry;
    if (auto it = retry_section->FindMember("backoff_strategy");
        it != retry_section->MemberEnd() && it->value.IsString()) {
      retry.backoff = durability::parse_backoff(it->value.GetString()).value_or(retry.backoff);
    }
    retry.base_ms = integer(retry_section, "backoff_base_ms", retry.base_ms);
    retry.max_ms = integer(retry_section, "backoff_max_ms", retry.max_ms);
    if (auto it = retry_section->FindMember("jitter");
        it != retry_section->MemberEnd() && it->value.IsBool()) {
      retry.jitter = it->value.GetBool();
    }
    auto& breaker = out.breaker;
    breaker.failure_threshold = static_cast<uint32_t>(
        integer(retry_section, "breaker_failure_threshold", breaker.failure_threshold));
    breaker.reset_timeout_ms =
        integer(retry_section, "breaker_reset_timeout_ms", breaker.reset_timeout_ms);
    breaker.half_open_max_attempts = static_cast<uint32_t>(
        integer(retry_section, "breaker_half_open_attempts", breaker.half_open_max_attempts));
    if (auto it = retry_section->FindMember("breaker_open");
        it != retry_section->MemberEnd() && it->value.IsString()) {
      out.fail_when_breaker_open = std::string(it->value.GetString()) == "fail";
    }
  }
  if (engine != nullptr && engine->HasMember("node_id") && (*engine)["node_id"].IsString()) {
    out.node_id = (*engine)["node_id"].GetString();
  }
  return out;
}

std::string database_path(const config::Config& config, const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) return *flag;
  if (auto url = env("APFLOW_DATABASE_URL"); !url.empty()) return url;
  const auto* storage = section(config, "storage");
  if (storage != nullptr && storage->HasMember("path") && (*storage)["path"].IsString()) {
    return (*storage)["path"].GetString();
  }
  std::filesystem::path data = env("XDG_DATA_HOME");
  if (data.empty() || data.is_relative())
    data = std::filesystem::path(env("HOME")) / ".local/share";
  return (data / "apflow" / "apflow.db").string();
}

std::unique_ptr<engine::Store> open_store(const config::Config& config,
                                          const std::vector<plugins::StorageEntry>& backends,
                                          const std::optional<std::string>& db_flag) {
  rapidjson::Document storage(rapidjson::kObjectType);
  if (const auto* configured = section(config, "storage")) {
    storage.CopyFrom(*configured, storage.GetAllocator());
  }
  auto& a = storage.GetAllocator();
  if (!storage.HasMember("backend")) storage.AddMember("backend", "sqlite", a);
  const std::string backend = storage["backend"].GetString();
  storage.RemoveMember("path");
  storage.AddMember("path", rapidjson::Value(database_path(config, db_flag).c_str(), a), a);

  std::string available;
  for (const auto& entry : backends) {
    if (entry.id != backend) {
      available += (available.empty() ? "" : ", ") + entry.id;
      continue;
    }
    if (auto violation = entry.config_schema.validate(storage)) {
      throw Error(codes::kConfigInvalid,
                  config.location_of("/storage") + ": 'storage': " + schema::describe(*violation));
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    storage.Accept(writer);
    return engine::Store::open(backend, entry.ops, entry.user_data, buffer.GetString());
  }
  throw Error(codes::kConfigInvalid,
              config.location_of("/storage/backend") + ": storage backend '" + backend +
                  "' is not loaded (loaded backends: " +
                  (available.empty() ? std::string("none") : available) + ")");
}

}  // namespace apflow::app
