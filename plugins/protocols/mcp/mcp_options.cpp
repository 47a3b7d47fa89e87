#include "mcp/mcp_options.h"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <stdexcept>

namespace apflow::plugins::mcp {

std::optional<McpOptions> parse_options(const std::vector<std::string>& args) {
  McpOptions options;
  std::string transport = "stdio";
  int port = 8000;
  std::size_t page_size = options.settings.page_size;
  CLI::App app("Serve every apflow module as an MCP tool (protocol 2025-11-25)", "apflow mcp");
  app.add_option("--transport", transport, "stdio (default) or streamable-http")
      ->check(CLI::IsMember({"stdio", "streamable-http"}));
  app.add_option("--host", options.http.host, "Address to bind (default 127.0.0.1)");
  app.add_option("--port", port, "Port to listen on; 0 picks a free one (default 8000)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--token", options.http.token,
                 "Bearer token every HTTP request must carry (default: $APFLOW_MCP_TOKEN)");
  app.add_option("--allow-origin", options.allowed_origins,
                 "Browser origin allowed besides localhost (repeatable)");
  app.add_option("--cors-origin", options.http.cors_origins,
                 "Origin allowed to call from a browser page with CORS, or * (repeatable)");
  app.add_option("--body-limit", options.http.body_limit,
                 "Largest request body in bytes (default 4 MiB)");
  app.add_option("--page-size", page_size, "Tools per tools/list page (default 100)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--timeout-ms", options.settings.call_timeout_ms,
                 "Deadline of each tool call; 0: modules.default_timeout_ms");
  app.add_flag("--explorer", options.explorer,
               "Serve the explorer web page at /explorer (streamable-http only)");
  std::vector<std::string> argv(args.rbegin(), args.rend() - 1);  // CLI11 wants them reversed
  try {
    app.parse(argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    throw std::invalid_argument(std::string(e.what()) + "\nRun 'apflow mcp --help' for the flags.");
  }
  if (transport == "streamable-http") options.transport = McpOptions::Transport::kStreamableHttp;
  if (options.explorer && options.transport == McpOptions::Transport::kStdio) {
    throw std::invalid_argument(
        "--explorer needs --transport streamable-http (stdio serves no page)");
  }
  options.http.port = static_cast<uint16_t>(port);
  options.settings.page_size = page_size;
  if (options.http.token.empty()) {
    if (const char* token = std::getenv("APFLOW_MCP_TOKEN")) options.http.token = token;
  }
  return options;
}

}  // namespace apflow::plugins::mcp
