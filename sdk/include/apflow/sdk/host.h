// Host: a plugin's view of the host services (wraps apflow_host_api).
#pragma once

#include <apflow/abi.h>
#include <apflow/sdk/call.h>
#include <apflow/sdk/error.h>
#include <apflow/sdk/json.h>

#include <string>

namespace apflow::sdk {

class Host {
 public:
  explicit Host(const apflow_host_api* api) noexcept : api_(api) {}

  bool log_enabled(LogLevel level) const noexcept {
    return api_->log_enabled(api_, static_cast<apflow_log_level>(level)) != 0;
  }
  void log(LogLevel level, const std::string& message) const noexcept {
    api_->log(api_, static_cast<apflow_log_level>(level), message.c_str());
  }
  std::string_view host_version() const noexcept { return api_->host_version; }

  // Every module descriptor in the registry, as a JSON array (apcore wire form).
  Json list_modules() const {
    TextCollector out;
    ErrorCollector error;
    if (api_->list_modules(api_, out.sink(), error.sink()) != APFLOW_OK) {
      error.raise("list_modules");
    }
    return parse_json(out.text());
  }

  const apflow_host_api* raw() const noexcept { return api_; }

 private:
  const apflow_host_api* api_;
};

}  // namespace apflow::sdk
