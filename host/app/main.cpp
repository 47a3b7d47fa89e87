// The `apflow` executable: global options, built-in commands (info, config check) and one
// command per protocol plugin (mcp, serve, ...), which receives the rest of the arguments.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string_view>

#include "app/info_command.h"
#include "app/logging.h"
#include "app/module_docs.h"
#include "app/runtime.h"
#include "app/signals.h"
#include "core/error.h"

namespace {

using apflow::app::GlobalOptions;

// apcore-cli's exit codes (apcore-protocols.md §6).
constexpr int kExitUsage = 2;
constexpr int kExitConfig = 47;

void add_global_options(CLI::App& app, GlobalOptions& options) {
  app.add_option("--config", options.config_path,
                 "Configuration file (default: $APFLOW_CONFIG, ./apflow.yaml, "
                 "~/.config/apflow/apflow.yaml)");
  app.add_option("--plugin-dir", options.plugin_dirs,
                 "Extra plugin directory (repeatable); also $APFLOW_PLUGIN_PATH")
      ->allow_extra_args(false);
  app.add_option("--db", options.database,
                 "Database of the task store (default: $APFLOW_DATABASE_URL, storage.path, "
                 "~/.local/share/apflow/apflow.db)");
  app.add_option("--log-level", options.log_level,
                 "trace, debug, info, warn, error or off (default: $APFLOW_LOG_LEVEL, log.level)");
}

const std::set<std::string_view> kBuiltinCommands = {"info", "config", "docs", "help"};

// Index of the command word: the first argument that is neither a global option nor its value.
int command_index(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--config" || arg == "--plugin-dir" || arg == "--log-level" || arg == "--db") {
      ++i;
    } else if (!arg.starts_with("-")) {
      return i;
    }
  }
  return argc;
}

// The global options are needed before the full command line can be built (plugins add
// commands), so read them first: anywhere for built-in commands, and only before the command
// word for a protocol's command, whose own arguments are its business.
GlobalOptions read_global_options(int argc, char** argv) {
  GlobalOptions options;
  CLI::App pre;
  pre.set_help_flag();
  pre.allow_extras();
  add_global_options(pre, options);
  const int command = command_index(argc, argv);
  const bool builtin = command < argc && kBuiltinCommands.contains(argv[command]);
  try {
    pre.parse(builtin ? argc : command, argv);
  } catch (const CLI::ParseError&) {
    // The full parser reports it properly below.
  }
  return options;
}

// Runs `apflow <protocol command> ARGS...` when the command belongs to a protocol plugin: it
// receives every argument after the command, untouched. Global options go before the command.
std::optional<int> dispatch_protocol(apflow::app::Runtime& runtime, int argc, char** argv) {
  const int index = command_index(argc, argv);
  if (index >= argc) return std::nullopt;
  const std::string_view word = argv[index];
  const auto protocols = runtime.plugins().protocols();
  // An exact command wins; a protocol serving "*" takes every command nobody else serves.
  const apflow::plugins::ProtocolEntry* chosen = nullptr;
  for (const auto& protocol : protocols) {
    if (protocol.command == word) chosen = &protocol;
  }
  if (chosen == nullptr && !kBuiltinCommands.contains(word)) {
    for (const auto& protocol : protocols) {
      if (protocol.command == "*") chosen = &protocol;
    }
  }
  if (chosen == nullptr) return std::nullopt;
  const auto protocol = *chosen;
  // Protocols serve the task engine: a database that cannot be opened stops them here. A named
  // front-end (mcp, serve) is a long-running server: it also resumes queued work and polls
  // schedules; the module commands of the catch-all CLI only open the store.
  if (protocol.command == "*") {
    runtime.engine().store();
  } else {
    runtime.engine().start();
  }
  std::vector<const char*> args(argv + index, argv + argc);
  const apflow::app::StopSignalWatcher signals([protocol] {
    if (protocol.request_stop != nullptr) protocol.request_stop(protocol.user_data);
  });
  return protocol.run(protocol.user_data, protocol.host_api, static_cast<int>(args.size()),
                      args.data());
}

int run(int argc, char** argv) {
  bool want_version = false;
  for (int i = 1; i < command_index(argc, argv); ++i) {
    if (std::string_view(argv[i]) == "--version") want_version = true;
  }
  if (want_version) {
    std::cout << "apflow " << APFLOW_VERSION << "\n";
    return 0;
  }
  const GlobalOptions globals = read_global_options(argc, argv);
  apflow::app::Runtime runtime(globals);
  if (auto exit_code = dispatch_protocol(runtime, argc, argv)) return *exit_code;

  GlobalOptions ignored;
  CLI::App app{
      "apflow: AI-Perceivable Distributed Orchestration. Every capability is an apcore "
      "module that agents call over MCP, A2A and this CLI.",
      "apflow"};
  app.set_version_flag("--version", APFLOW_VERSION);
  add_global_options(app, ignored);
  app.require_subcommand(1);
  app.fallthrough();  // global options are accepted after a built-in command too

  bool info_json = false;
  auto* info = app.add_subcommand("info", "Show version, configuration, plugins and modules");
  info->add_flag("--json", info_json, "Print JSON for machines");
  info->callback([&] {
    if (info_json) {
      apflow::app::print_info_json(runtime, std::cout);
    } else {
      apflow::app::print_info_text(runtime, std::cout);
    }
  });

  auto* config = app.add_subcommand("config", "Configuration commands");
  config->require_subcommand(1);
  config->add_subcommand("check", "Validate the configuration and every plugin's section")
      ->callback([&] {
        const auto& file = runtime.config().file();
        std::cout << "configuration is valid: "
                  << (file ? file->string() : std::string("no file, built-in defaults")) << "\n";
      });

  auto* docs = app.add_subcommand("docs", "Generated documentation");
  docs->require_subcommand(1);
  docs->add_subcommand("modules", "Print the module reference (Markdown) from the registry")
      ->callback([&] { apflow::app::print_module_reference(runtime.registry(), std::cout); });

  // Protocol commands are listed in --help; they run through dispatch_protocol.
  for (const auto& protocol : runtime.plugins().protocols()) {
    if (protocol.command == "*") {
      app.footer("Module commands: apflow <group> <command> [--flags] (" + protocol.description +
                 "); `apflow info` lists the modules.");
    } else if (!protocol.command.empty()) {
      app.add_subcommand(protocol.command, protocol.description)->prefix_command();
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int cli_code = app.exit(e);  // prints help, the version or the usage error
    return cli_code == 0 ? 0 : kExitUsage;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  apflow::app::block_stop_signals();
  apflow::app::init_logging();
  try {
    return run(argc, argv);
  } catch (const apflow::Error& e) {
    spdlog::error("{}", e.what());
    const bool config_error = e.code().starts_with("CONFIG_");
    return config_error ? kExitConfig : 1;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
}
