// The `cli` plugin: two protocol front-ends. "*" serves every command no one else serves by
// turning it into a module call; "run" runs a task-tree file.
#include <apflow/sdk/sdk.h>

#include <atomic>

#include "cli/module_caller.h"
#include "cli/module_command.h"
#include "cli/run_command.h"

namespace {

namespace cli = apflow::plugins::cli;
namespace sdk = apflow::sdk;

using Command = int (*)(const cli::ModuleCaller&, const std::vector<std::string>&);

// Both protocols run one command whose module calls a Ctrl-C must cancel.
template <Command command>
class StoppableProtocol : public sdk::Protocol {
 public:
  int run(sdk::Host& host, const std::vector<std::string>& args) override {
    return command(cli::ModuleCaller(host, stop_), args);
  }
  void request_stop() noexcept override { stop_ = true; }

 private:
  std::atomic<bool> stop_{false};
};

class ModuleProtocol final : public StoppableProtocol<&cli::run_module_command> {
 public:
  static constexpr std::string_view kId = "cli";
  static constexpr std::string_view kDescription = "every module as a command";
  static constexpr std::string_view kCommand = "*";
};

class RunProtocol final : public StoppableProtocol<&cli::run_tree_file> {
 public:
  static constexpr std::string_view kId = "cli_run";
  static constexpr std::string_view kDescription = "Run the task trees of a YAML or JSON file";
  static constexpr std::string_view kCommand = "run";
};

}  // namespace

APFLOW_PLUGIN("cli", "0.1.0", APFLOW_PROTOCOL(ModuleProtocol), APFLOW_PROTOCOL(RunProtocol),
              APFLOW_DESCRIPTION("Command line: modules as commands, and apflow run FILE"))
