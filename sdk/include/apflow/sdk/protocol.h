// Base class for protocol front-ends: a plugin that owns `apflow <command>`.
//
//   static constexpr std::string_view kId = "mcp";
//   static constexpr std::string_view kDescription = "...";
//   static constexpr std::string_view kCommand = "mcp";   // the top-level command it serves
#pragma once

#include <apflow/abi.h>
#include <apflow/sdk/host.h>

#include <string>
#include <vector>

namespace apflow::sdk {

class Protocol {
 public:
  virtual ~Protocol() = default;
  // Runs the command until it is done; args[0] is the command name. Returns the exit code.
  virtual int run(Host& host, const std::vector<std::string>& args) = 0;
  // Called from a signal-watching thread: set a flag or post to your loop, nothing more.
  virtual void request_stop() noexcept {}
};

namespace detail {

template <typename T>
int run_protocol(void* user_data, const apflow_host_api* api, int argc,
                 const char* const* argv) noexcept {
  Host host(api);
  try {
    std::vector<std::string> args(argv, argv + argc);
    return static_cast<T*>(user_data)->run(host, args);
  } catch (const std::exception& e) {
    host.log(LogLevel::kError, std::string("command failed: ") + e.what());
  } catch (...) {
    host.log(LogLevel::kError, "command failed with an unknown exception");
  }
  return 1;
}

template <typename T>
void stop_protocol(void* user_data) noexcept {
  static_cast<T*>(user_data)->request_stop();
}

}  // namespace detail
}  // namespace apflow::sdk
