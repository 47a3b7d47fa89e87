// Engine benchmarks on the embedded, durable SQLite store (synchronous=FULL) with the no-op
// passthrough executor, everything in one process as `apflow` runs it:
//   chain N    N tasks, each depending on the one before: engine overhead per task
//   fanout N   N independent tasks under one parent that runs last: tasks per second
// Each prints wall time and peak resident memory. Results and how to reproduce them are in
// docs/performance.md. Usage: engine_bench chain|fanout N [runs] [max_parallel]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/event_bus.h"
#include "engine/engine.h"
#include "plugins/plugin_host.h"
#include "registry/call_pipeline.h"

namespace {

using namespace apflow;

std::string tree_json(const std::string& shape, int n) {
  std::string tasks = R"({"tasks":[{"name":"root","id":"root",)"
                      R"("params":{"executor_id":"noop_executor"}})";
  tasks.reserve(static_cast<size_t>(n) * 120);
  for (int i = 1; i < n; ++i) {
    tasks += R"(,{"name":"t)" + std::to_string(i) + R"(","id":"t)" + std::to_string(i) +
             R"(","parent_id":"root","params":{"executor_id":"noop_executor"})";
    if (shape == "chain" && i > 1)
      tasks += R"(,"dependencies":["t)" + std::to_string(i - 1) + "\"]";
    tasks += "}";
  }
  return tasks + "]}";
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double run_once(const std::string& shape, int n, size_t max_parallel) {
  const auto dir = std::filesystem::temp_directory_path() / "apflow_engine_bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto config = config::Config::defaults();
  registry::Registry registry;
  EventBus events;
  registry::CallPipeline pipeline(registry, 600000, max_parallel + 4);
  plugins::PluginHost host(registry, pipeline, events, config);
  host.load_all({APFLOW_PLUGIN_DIR});
  engine::EngineConfig settings;
  settings.max_parallel = max_parallel;
  const std::string db = std::getenv("DB") ? std::getenv("DB") : (dir / "apflow.db").string();
  engine::Engine engine(registry, pipeline, events, settings, [&] {
    for (const auto& entry : host.storage_backends()) {
      if (entry.id == "sqlite") {
        return engine::Store::open(
            "sqlite", entry.ops, entry.user_data,
            R"({"backend":"sqlite","synchronous":")" +
                std::string(std::getenv("SYNC") ? std::getenv("SYNC") : "FULL") + R"(","path":")" +
                db + R"("})");
      }
    }
    throw std::runtime_error("no sqlite storage plugin");
  });
  rapidjson::Document input;
  input.Parse(tree_json(shape, n).c_str());
  engine.create_tree(input);
  if (std::getenv("VERBOSE") != nullptr) {
    std::fprintf(stderr, "peak RSS after creating the tree: %.1f MB\n", peak_rss_mb());
  }
  rapidjson::Document execute;
  execute.Parse(R"({"task_id":"root","wait":true,"timeout_ms":3600000})");
  const auto start = std::chrono::steady_clock::now();
  auto out = engine.execute(execute);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (std::string(out["status"].GetString()) != "completed") {
    std::fprintf(stderr, "run did not complete: %s %s\n", out["status"].GetString(),
                 out["error"].IsString() ? out["error"].GetString() : "");
    std::exit(1);
  }
  engine.stop();
  pipeline.drain();
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: engine_bench chain|fanout N [runs] [max_parallel]\n");
    return 2;
  }
  const std::string shape = argv[1];
  const int n = std::stoi(argv[2]);
  const int runs = argc > 3 ? std::stoi(argv[3]) : 5;
  const size_t max_parallel = argc > 4 ? std::stoul(argv[4]) : 8;
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) times.push_back(run_once(shape, n, max_parallel));
  std::sort(times.begin(), times.end());
  const double median = times[times.size() / 2];
  std::printf(
      "%s %d tasks, max_parallel %zu, %d runs: median %.3f s = %.3f ms/task = %.0f tasks/s;"
      " peak RSS %.1f MB\n",
      shape.c_str(), n, max_parallel, runs, median, median * 1000.0 / n, n / median, peak_rss_mb());
  return 0;
}
