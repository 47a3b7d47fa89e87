// The `mcp` plugin: `apflow mcp` serves every module as an MCP tool over stdio or Streamable
// HTTP (see README.md and docs/mcp.md).
#include <apflow/sdk/sdk.h>

#include <atomic>
#include <iostream>
#include <mutex>

#include "mcp/http_transport.h"
#include "mcp/mcp_options.h"
#include "mcp/stdio_transport.h"

namespace {

namespace mcp = apflow::plugins::mcp;
namespace explorer = apflow::plugins::explorer;
namespace sdk = apflow::sdk;

constexpr int kUsageError = 1;
constexpr int kStartupError = 2;

class McpProtocol final : public sdk::Protocol {
 public:
  static constexpr std::string_view kId = "mcp";
  static constexpr std::string_view kDescription = "MCP server: every module as a tool";
  static constexpr std::string_view kCommand = "mcp";

  int run(sdk::Host& host, const std::vector<std::string>& args) override {
    std::optional<mcp::McpOptions> options;
    try {
      options = mcp::parse_options(args);
    } catch (const std::invalid_argument& e) {
      std::cerr << "apflow mcp: " << e.what() << "\n";
      return kUsageError;
    }
    if (!options) return 0;
    const mcp::ToolCatalog catalog(host.list_modules());
    for (const auto& why : catalog.skipped()) {
      host.log(sdk::LogLevel::kWarn, "module left out of the MCP tools: " + why);
    }
    const mcp::McpContext context{host, catalog, options->settings};
    if (options->transport == mcp::McpOptions::Transport::kStdio) {
      return mcp::serve_stdio(context, stop_);
    }
    return serve_http(context, *options);
  }

  void request_stop() noexcept override {
    stop_ = true;
    std::lock_guard lock(mutex_);
    if (http_ != nullptr) stop_serving();
  }

 private:
  // Under mutex_, while serving. The explorer's event streams end too: the server's drain
  // would wait for them.
  void stop_serving() noexcept {
    http_->stop();
    if (page_ != nullptr) page_->stop();
  }

  int serve_http(const mcp::McpContext& context, const mcp::McpOptions& options) {
    apflow::plugins::protocols::HttpConfig http = options.http;
    // Made first, so that it outlives the transport, which routes to it.
    const auto page = options.explorer
                          ? explorer::make_explorer(context.host, http, options.allowed_origins)
                          : nullptr;
    mcp::HttpTransport transport(context, std::move(http), options.allowed_origins);
    transport.mount(page.get());
    try {
      transport.listen();
    } catch (const std::exception& e) {
      std::cerr << "apflow mcp: " << e.what() << "\n";
      return kStartupError;
    }
    {
      std::lock_guard lock(mutex_);
      http_ = &transport;
      page_ = page.get();
      if (stop_) stop_serving();  // asked to stop while starting
    }
    // The one line a user or a script waits for.
    std::cout << "apflow mcp: serving MCP (Streamable HTTP) at " << transport.url() << std::endl;
    if (page) std::cout << "apflow mcp: explorer at " << page->url(transport.url()) << std::endl;
    transport.run();
    std::lock_guard lock(mutex_);
    http_ = nullptr;
    page_ = nullptr;
    return 0;
  }

  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  mcp::HttpTransport* http_ = nullptr;
  explorer::Explorer* page_ = nullptr;
};

}  // namespace

APFLOW_PLUGIN("mcp", "0.1.0", APFLOW_PROTOCOL(McpProtocol),
              APFLOW_DESCRIPTION("MCP server (stdio and Streamable HTTP) for every module"))
