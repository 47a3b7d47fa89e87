// The real host for executor tests: the built-in plugins loaded with a config file the test
// writes (so each test sets the executors' sections), and calls through the one call pipeline.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "config/config.h"
#include "core/event_bus.h"
#include "plugins/plugin_host.h"
#include "registry/call_pipeline.h"
#include "registry/registry.h"

namespace apflow::testing {

// A fresh temp directory named after the running test.
inline std::filesystem::path test_dir(const std::string& prefix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const auto dir = std::filesystem::path(::testing::TempDir()) /
                   (prefix + "_" + info->test_suite_name() + "_" + info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline config::Config load_config(const std::filesystem::path& dir, const std::string& yaml) {
  const auto file = dir / "apflow.yaml";
  std::ofstream(file) << yaml;
  config::LoadOptions options;
  options.explicit_path = file;
  options.env = config::Environment::from_process();
  return config::Config::load(options);
}

class ExecutorHost {
 public:
  ExecutorHost(const std::filesystem::path& dir, const std::string& yaml)
      : config_(load_config(dir, yaml)),
        pipeline_(registry_, 60000, 4),
        host_(registry_, pipeline_, events_, config_) {
    host_.load_all({BUILTIN_PLUGIN_DIR});
  }
  ~ExecutorHost() { pipeline_.drain(); }

  registry::CallOutcome call(const std::string& id, const std::string& input,
                             int64_t timeout_ms = 0) {
    registry::CallRequest request;
    request.module_id = id;
    request.input_json = input;
    request.timeout_ms = timeout_ms;
    return pipeline_.call(std::move(request));
  }
  registry::CallPipeline& pipeline() { return pipeline_; }

 private:
  config::Config config_;
  registry::Registry registry_;
  EventBus events_;
  registry::CallPipeline pipeline_;
  plugins::PluginHost host_;
};

inline rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

// JSON string literal of text (quotes and backslashes escaped), for building inputs.
inline std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace apflow::testing
