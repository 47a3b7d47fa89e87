// The explorer: a web page at /explorer on an HTTP front-end (`apflow serve --explorer`,
// `apflow mcp --transport streamable-http --explorer`) that lists the modules with their
// schemas, calls one from a form generated from its input schema, and draws task trees whose
// states change live. The front-end routes every path under /explorer here; the page and its
// files are public, the JSON API under /explorer/api/ keeps the front-end's bearer token and
// refuses foreign browser origins.
#pragma once

#include <apflow/sdk/host.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/http_config.h"
#include "common/http_exchange.h"
#include "explorer/calls_in_flight.h"
#include "explorer/event_streams.h"
#include "explorer/module_api.h"
#include "explorer/tree_api.h"

namespace apflow::plugins::explorer {

struct ExplorerSettings {
  // Browser origins allowed to use the API besides this machine's ("*": any).
  std::vector<std::string> allowed_origins;
};

class Explorer {
 public:
  Explorer(sdk::Host host, ExplorerSettings settings);

  // True for the paths the front-end should hand to handle(): /explorer and below.
  static bool handles(std::string_view path);
  // The page's URL on the server whose URL is given: http://127.0.0.1:8000/explorer/.
  static std::string url(std::string_view server_url);

  void handle(const std::shared_ptr<protocols::HttpExchange>& exchange);
  // Ends the event streams, so that a stopping server does not wait for them. Module calls
  // in flight may finish; those still running when the Explorer goes are cancelled.
  void stop() noexcept { streams_.stop(); }

 private:
  ExplorerSettings settings_;
  CallsInFlight calls_;
  ModuleApi modules_;
  TreeApi trees_;
  EventStreams streams_;
};

// The explorer of a front-end about to be made with `config`: adds the page and its files to
// config's public paths (a browser cannot send a token when it navigates) and lets the API
// be used from the front-end's CORS origins and from `allowed_origins`.
std::unique_ptr<Explorer> make_explorer(sdk::Host host, protocols::HttpConfig& config,
                                        std::vector<std::string> allowed_origins = {});

}  // namespace apflow::plugins::explorer
