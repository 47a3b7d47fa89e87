// REST executor benchmark: N tasks under one root, each a rest_executor GET of a keep-alive HTTP
// server in this process on 127.0.0.1, run by the engine on the durable SQLite store, as
// `apflow` runs them. Prints calls per second end to end (creating the tree excluded) and how
// many TCP connections the server saw (connection reuse). Results and how to reproduce them
// are in docs/performance.md.
// Usage: rest_bench [N=1000] [runs=5] [max_parallel=64] [pool_max_idle_per_host=max_parallel]
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "bench_engine.h"
#include "http_bench_server.h"

namespace {

using namespace apflow;

std::string tree_json(int n, int port) {
  const std::string inputs =
      R"("inputs":{"url":"http://127.0.0.1:)" + std::to_string(port) + R"(/ping"}})";
  std::string tasks = R"({"tasks":[{"name":"root","id":"root",)"
                      R"("params":{"executor_id":"noop_executor"}})";
  for (int i = 1; i <= n; ++i) {
    tasks += R"(,{"name":"r)" + std::to_string(i) + R"(","id":"r)" + std::to_string(i) +
             R"(","parent_id":"root","params":{"executor_id":"rest_executor"},)" + inputs;
  }
  return tasks + "]}";
}

// plugins.rest as the benchmark needs it: the server is on loopback, and `pool` idle connections
// are kept for later calls (max_parallel of them: every connection in use may be reused).
config::Config rest_config(const std::filesystem::path& dir, size_t pool) {
  const auto file = dir / "apflow.yaml";
  std::ofstream(file) << "plugins:\n  rest:\n    allow_loopback: true\n"
                      << "    pool_max_idle_per_host: " << pool << "\n";
  config::LoadOptions options;
  options.explicit_path = file;
  options.env = config::Environment::from_process();
  return config::Config::load(options);
}

double run_once(int n, size_t max_parallel, size_t pool, size_t& connections) {
  const auto dir = bench::fresh_dir("apflow_rest_bench");
  bench::HttpBenchServer server;
  bench::BenchEngine engine(dir, rest_config(dir, pool), max_parallel);
  engine.create(tree_json(n, server.port()));
  const double seconds = engine.execute("root").wall_seconds;
  connections = server.connections();
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::stoi(argv[1]) : 1000;
  const int runs = argc > 2 ? std::stoi(argv[2]) : 5;
  const size_t max_parallel = argc > 3 ? std::stoul(argv[3]) : 64;
  const size_t pool = argc > 4 ? std::stoul(argv[4]) : max_parallel;
  std::vector<double> times;
  size_t connections = 0;
  for (int i = 0; i < runs; ++i) times.push_back(run_once(n, max_parallel, pool, connections));
  std::sort(times.begin(), times.end());
  const double median = times[times.size() / 2];
  std::printf(
      "rest %d calls, max_parallel %zu, pool %zu, %d runs: median %.3f s = %.0f calls/s; %zu "
      "TCP connections in the last run; peak RSS %.1f MB\n",
      n, max_parallel, pool, runs, median, n / median, connections, bench::peak_rss_mb());
  return 0;
}
