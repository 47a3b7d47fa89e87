#include "a2a/a2a_options.h"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <stdexcept>

namespace apflow::plugins::a2a {

std::optional<A2aOptions> parse_options(const std::vector<std::string>& args) {
  A2aOptions options;
  protocols::HttpConfig& config = options.http;
  int port = 8000;
  CLI::App app("Serve every apflow module as an A2A skill (A2A 1.0 JSON-RPC, 0.3 names too)",
               "apflow serve");
  app.add_option("--host", config.host, "Address to bind (default 127.0.0.1)");
  app.add_option("--port", port, "Port to listen on; 0 picks a free one (default 8000)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--token", config.token,
                 "Bearer token every JSON-RPC request must carry (default: $APFLOW_A2A_TOKEN)");
  app.add_option("--cors,--cors-origin", config.cors_origins,
                 "Origin allowed to call from a browser page, or * (repeatable)");
  app.add_option("--body-limit", config.body_limit,
                 "Largest request body in bytes (default 4 MiB)");
  app.add_flag("--explorer", options.explorer, "Serve the explorer web page at /explorer");
  std::vector<std::string> argv(args.rbegin(), args.rend() - 1);  // CLI11 wants them reversed
  try {
    app.parse(argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    throw std::invalid_argument(std::string(e.what()) +
                                "\nRun 'apflow serve --help' for the flags.");
  }
  config.port = static_cast<uint16_t>(port);
  if (config.token.empty()) {
    if (const char* token = std::getenv("APFLOW_A2A_TOKEN")) config.token = token;
  }
  return options;
}

}  // namespace apflow::plugins::a2a
