// Engine benchmarks on the embedded, durable SQLite store (synchronous=FULL) with the no-op
// passthrough executor, everything in one process as `apflow` runs it:
//   chain N    N tasks, each depending on the one before: engine overhead per task
//   fanout N   N independent tasks under one parent that runs last: tasks per second
// Each prints wall time, CPU time per task (every thread) and peak resident memory. Results and
// how to reproduce them are in docs/performance.md.
// Usage: engine_bench chain|fanout N [runs] [max_parallel]
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_engine.h"

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

bench::BenchEngine::Timing run_once(const std::string& shape, int n, size_t max_parallel) {
  const auto dir = bench::fresh_dir("apflow_engine_bench");
  bench::BenchEngine engine(dir, config::Config::defaults(), max_parallel);
  engine.create(tree_json(shape, n));
  if (std::getenv("VERBOSE") != nullptr) {
    std::fprintf(stderr, "peak RSS after creating the tree: %.1f MB\n", bench::peak_rss_mb());
  }
  return engine.execute("root");
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
  std::vector<double> times, cpu;
  for (int i = 0; i < runs; ++i) {
    const auto timing = run_once(shape, n, max_parallel);
    times.push_back(timing.wall_seconds);
    cpu.push_back(timing.cpu_seconds);
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  const double median = times[times.size() / 2];
  std::printf(
      "%s %d tasks, max_parallel %zu, %d runs: median %.3f s = %.3f ms/task = %.0f tasks/s;"
      " CPU %.1f us/task; peak RSS %.1f MB\n",
      shape.c_str(), n, max_parallel, runs, median, median * 1000.0 / n, n / median,
      cpu[cpu.size() / 2] * 1e6 / n, bench::peak_rss_mb());
  return 0;
}
