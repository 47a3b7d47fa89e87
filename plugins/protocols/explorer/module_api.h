// The modules part of the explorer's API: the registry's descriptors (id, description,
// annotations, input and output schemas) and calling a module with a JSON object.
#pragma once

#include <apflow/sdk/host.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/http_exchange.h"
#include "explorer/calls_in_flight.h"

namespace apflow::plugins::explorer {

class ModuleApi {
 public:
  // Reads the registry once: the modules change only when the server restarts.
  ModuleApi(const sdk::Host& host, CallsInFlight& calls);

  // GET /explorer/api/modules: {"modules": [descriptor, ...]} sorted by id.
  void list(const std::shared_ptr<protocols::HttpExchange>& exchange) const;
  // GET /explorer/api/modules/<id>: the descriptor, or 404.
  void describe(const std::shared_ptr<protocols::HttpExchange>& exchange,
                const std::string& module_id) const;
  // POST /explorer/api/modules/<id>/call with the input object: 200 with
  // {"ok": true, "output", "duration_ms"} or {"ok": false, "error": {code, message, details?}};
  // 400, 404 or 415 when the request itself is wrong.
  void call(const std::shared_ptr<protocols::HttpExchange>& exchange,
            const std::string& module_id) const;

 private:
  CallsInFlight& calls_;
  std::string list_json_;
  std::map<std::string, std::string, std::less<>> descriptors_;  // id -> descriptor JSON
};

}  // namespace apflow::plugins::explorer
