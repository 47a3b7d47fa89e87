// A second apflow for the apflow_api_executor tests: `apflow serve` on 127.0.0.1 (a free port),
// with its own config, database and bearer token in <dir>/remote.
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "background_server.h"
#include "process.h"

namespace apflow::testing {

inline std::unique_ptr<BackgroundServer> start_remote_apflow(const std::filesystem::path& dir,
                                                             const std::string& token) {
  const auto remote = dir / "remote";
  std::filesystem::create_directories(remote);
  std::ofstream(remote / "apflow.yaml") << "{}\n";
  return std::make_unique<BackgroundServer>(
      std::vector<std::string>{apflow_binary(), "--config", (remote / "apflow.yaml").string(),
                               "--db", (remote / "apflow.db").string(), "serve", "--host",
                               "127.0.0.1", "--port", "0", "--token", token});
}

inline std::string base_url_of(const BackgroundServer& server) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + "/";
}

}  // namespace apflow::testing
