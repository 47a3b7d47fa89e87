// The engine in one process as `apflow` runs it, for the benchmarks: built-in plugins from the
// build's plugin directory, the durable SQLite store (synchronous=FULL unless $SYNC says
// otherwise; $DB overrides the file), and one tree run to its end and timed.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "config/config.h"
#include "core/event_bus.h"
#include "engine/engine.h"
#include "plugins/plugin_host.h"
#include "registry/call_pipeline.h"

namespace apflow::bench {

inline double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// CPU time of the whole process so far (user + system, every thread), in seconds: steadier than
// wall time on a shared machine, since a busy neighbour slows both but adds to neither.
inline double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

inline std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

class BenchEngine {
 public:
  // dir: a fresh directory for the database; config: what the plugins read.
  BenchEngine(const std::filesystem::path& dir, config::Config config, size_t max_parallel)
      : config_(std::move(config)),
        pipeline_(registry_, 600000, max_parallel + 4),
        host_(registry_, pipeline_, events_, config_) {
    host_.load_all({APFLOW_PLUGIN_DIR});
    engine::EngineConfig settings;
    settings.max_parallel = max_parallel;
    const std::string db = env_or("DB", (dir / "apflow.db").string());
    engine_ = std::make_unique<engine::Engine>(registry_, pipeline_, events_, settings, [this, db] {
      for (const auto& entry : host_.storage_backends()) {
        if (entry.id == "sqlite") {
          return engine::Store::open("sqlite", entry.ops, entry.user_data,
                                     R"({"backend":"sqlite","synchronous":")" +
                                         env_or("SYNC", "FULL") + R"(","path":")" + db + R"("})");
        }
      }
      throw std::runtime_error("no sqlite storage plugin");
    });
  }
  ~BenchEngine() {
    engine_->stop();
    pipeline_.drain();
  }

  void create(const std::string& tree_json) {
    rapidjson::Document input;
    input.Parse(tree_json.c_str());
    engine_->create_tree(input);
  }

  struct Timing {
    double wall_seconds;
    double cpu_seconds;
  };

  // Executes the tree rooted at `root` and waits for its end; the time it took. Exits when the
  // run does not complete (a benchmark of a failing run measures nothing).
  Timing execute(const std::string& root) {
    rapidjson::Document execute;
    execute.Parse((R"({"task_id":")" + root + R"(","wait":true,"timeout_ms":3600000})").c_str());
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    auto out = engine_->execute(execute);
    const Timing timing{
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
        cpu_seconds() - cpu_start};
    if (std::string(out["status"].GetString()) != "completed") {
      std::fprintf(stderr, "run did not complete: %s %s\n", out["status"].GetString(),
                   out["error"].IsString() ? out["error"].GetString() : "");
      std::exit(1);
    }
    return timing;
  }

 private:
  config::Config config_;  // the plugins keep reading it
  registry::Registry registry_;
  EventBus events_;
  registry::CallPipeline pipeline_;
  plugins::PluginHost host_;
  std::unique_ptr<engine::Engine> engine_;
};

// A fresh directory under the system temp directory.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace apflow::bench
