// A real engine for integration tests: the built-in plugins (SQLite storage, aggregate
// executor) and the test plugins loaded by the host, a SQLite file in a fresh temp dir.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/error.h"
#include "core/event_bus.h"
#include "engine/engine.h"
#include "plugins/plugin_host.h"
#include "registry/call_pipeline.h"

namespace apflow::testing {

using Json = rapidjson::Document;

inline Json parse(const std::string& text) {
  Json doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

inline std::string dump(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

class EngineTest : public ::testing::Test {
 protected:
  // `tune` adjusts the engine's settings before it is made. `ops_size`, when set, cuts the
  // storage plugin's operations table to that size, as a backend built for an older ABI has it.
  explicit EngineTest(size_t max_parallel = 4,
                      const std::function<void(engine::EngineConfig&)>& tune = {},
                      uint32_t ops_size = 0)
      : dir_(std::filesystem::path(::testing::TempDir()) /
             ("engine_" +
              std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()))),
        config_(config::Config::defaults()),
        pipeline_(registry_, 30000, 16),
        host_(registry_, pipeline_, events_, config_) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    host_.load_all({BUILTIN_PLUGIN_DIR, TEST_GOOD_PLUGINS});
    engine::EngineConfig settings;
    settings.max_parallel = max_parallel;
    settings.lease_ms = 5000;
    if (tune) tune(settings);
    const std::string db = (dir_ / "apflow.db").string();
    engine_ = std::make_unique<engine::Engine>(registry_, pipeline_, events_, settings, [=, this] {
      for (const auto& entry : host_.storage_backends()) {
        if (entry.id == "sqlite") {
          if (ops_size != 0) {
            ops_ = *entry.ops;
            ops_.struct_size = ops_size;
          }
          return engine::Store::open("sqlite", ops_size != 0 ? &ops_ : entry.ops, entry.user_data,
                                     R"({"backend":"sqlite","path":")" + db + R"("})");
        }
      }
      throw std::runtime_error("the sqlite storage plugin is not loaded");
    });
    watch_ = events_.subscribe("", [this](std::string_view event) {
      std::lock_guard lock(events_mutex_);
      seen_.emplace_back(event);
    });
  }
  ~EngineTest() override {
    events_.unsubscribe(watch_);
    if (engine_) engine_->stop();
    pipeline_.drain();
  }

  Json create(const std::string& input) { return engine_->create_tree(parse(input)); }
  Json run(const std::string& root_id, int64_t timeout_ms = 20000) {
    return engine_->execute(parse(R"({"task_id":")" + root_id + R"(","wait":true,"timeout_ms":)" +
                                  std::to_string(timeout_ms) + "}"));
  }
  Json get(const std::string& id) { return engine_->get(parse(R"({"task_id":")" + id + R"("})")); }
  std::string status(const std::string& id) { return get(id)["status"].GetString(); }
  std::string error(const std::string& id) {
    auto row = get(id);
    return row["error"].IsString() ? row["error"].GetString() : "";
  }
  // Events seen so far of one type, in order, as (task name, event JSON).
  std::vector<std::pair<std::string, std::string>> events_of(const std::string& type) {
    std::lock_guard lock(events_mutex_);
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : seen_) {
      auto doc = parse(e);
      if (type == doc["type"].GetString()) out.emplace_back(doc["name"].GetString(), e);
    }
    return out;
  }

  // Every event seen so far, in order, as (type, task id).
  std::vector<std::pair<std::string, std::string>> event_log() {
    std::lock_guard lock(events_mutex_);
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : seen_) {
      auto doc = parse(e);
      out.emplace_back(doc["type"].GetString(), doc["task_id"].GetString());
    }
    return out;
  }

  std::filesystem::path dir_;
  config::Config config_;
  registry::Registry registry_;
  EventBus events_;
  registry::CallPipeline pipeline_;
  plugins::PluginHost host_;
  apflow_storage_ops ops_{};  // the cut table, when the test asks for one
  std::unique_ptr<engine::Engine> engine_;
  std::mutex events_mutex_;
  std::vector<std::string> seen_;
  EventBus::Id watch_ = 0;
};

// A task JSON object using the test record_executor.
inline std::string task(const std::string& name, const std::string& extra = "",
                        const std::string& inputs = "{}") {
  return R"({"name":")" + name + R"(","id":")" + name +
         R"(","params":{"executor_id":"record_executor"},"inputs":)" + inputs +
         (extra.empty() ? "" : "," + extra) + "}";
}

}  // namespace apflow::testing
