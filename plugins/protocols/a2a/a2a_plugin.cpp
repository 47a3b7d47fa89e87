// The `a2a` plugin: `apflow serve` serves every module as an A2A skill over HTTP (see
// README.md and docs/a2a.md).
#include <apflow/sdk/sdk.h>

#include <atomic>
#include <iostream>
#include <mutex>

#include "a2a/a2a_options.h"
#include "a2a/a2a_server.h"

namespace {

namespace a2a = apflow::plugins::a2a;
namespace explorer = apflow::plugins::explorer;
namespace sdk = apflow::sdk;

constexpr int kUsageError = 1;
constexpr int kStartupError = 2;

class A2aProtocol final : public sdk::Protocol {
 public:
  static constexpr std::string_view kId = "a2a";
  static constexpr std::string_view kDescription = "A2A server: every module as a skill";
  static constexpr std::string_view kCommand = "serve";

  int run(sdk::Host& host, const std::vector<std::string>& args) override {
    std::optional<a2a::A2aOptions> options;
    try {
      options = a2a::parse_options(args);
    } catch (const std::invalid_argument& e) {
      std::cerr << "apflow serve: " << e.what() << "\n";
      return kUsageError;
    }
    if (!options) return 0;
    // Made first, so that it outlives the server, which routes to it.
    const auto page = options->explorer ? explorer::make_explorer(host, options->http) : nullptr;
    a2a::A2aServer server(host, std::move(options->http));
    server.mount(page.get());
    try {
      server.listen();
    } catch (const std::exception& e) {
      std::cerr << "apflow serve: " << e.what() << "\n";
      return kStartupError;
    }
    {
      std::lock_guard lock(mutex_);
      server_ = &server;
      page_ = page.get();
      if (stop_) stop_serving();  // asked to stop while starting
    }
    // The one line a user or a script waits for.
    std::cout << "apflow serve: serving A2A at " << server.url() << std::endl;
    if (page) std::cout << "apflow serve: explorer at " << page->url(server.url()) << std::endl;
    server.run();
    std::lock_guard lock(mutex_);
    server_ = nullptr;
    page_ = nullptr;
    return 0;
  }

  void request_stop() noexcept override {
    stop_ = true;
    std::lock_guard lock(mutex_);
    if (server_ != nullptr) stop_serving();
  }

 private:
  // Under mutex_, while serving. The explorer's event streams end too: the server's drain
  // would wait for them.
  void stop_serving() noexcept {
    server_->stop();
    if (page_ != nullptr) page_->stop();
  }

  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  a2a::A2aServer* server_ = nullptr;
  explorer::Explorer* page_ = nullptr;
};

}  // namespace

APFLOW_PLUGIN("a2a", "0.1.0", APFLOW_PROTOCOL(A2aProtocol),
              APFLOW_DESCRIPTION("A2A server (1.0 JSON-RPC and 0.3 names) for every module"))
