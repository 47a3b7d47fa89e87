#include "cli/run_command.h"

#include <apflow/sdk/error.h>

#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <optional>

#include "cli/cli_errors.h"
#include "cli/event_feed.h"
#include "cli/output_format.h"
#include "cli/run_file.h"
#include "cli/run_render.h"
#include "cli/run_results.h"
#include "cli/schema_flags.h"

namespace apflow::plugins::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPoll = std::chrono::milliseconds(100);
constexpr auto kCancelWait = std::chrono::seconds(10);

struct RunOptions {
  std::string file, format, timeout_s;
};

enum class Ending { kFinished, kInterrupted, kTimedOut };

// The options, or nothing once --help has been printed.
std::optional<RunOptions> parse_options(const std::vector<std::string>& args) {
  RunOptions options;
  CLI::App app(
      "Creates the task trees a file describes (YAML or JSON: an array of tasks or "
      "{\"tasks\": [...]}), runs them and prints their results.",
      "apflow run");
  app.add_option("FILE", options.file, "Task file: .yaml, .yml or .json")->required();
  app.add_option("--format", options.format, "json or table (default: table on a terminal)")
      ->type_name("FORMAT");
  app.add_option("--timeout-s", options.timeout_s, "Cancel the trees after this many seconds")
      ->type_name("N");
  // The parser takes arguments last to first; args[0] is "run" itself.
  std::vector<std::string> rest(args.rbegin(), args.rend());
  if (!rest.empty()) rest.pop_back();
  try {
    app.parse(rest);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    throw sdk::Error("GENERAL_INVALID_INPUT", std::string(e.what()) + " (see apflow run --help)");
  }
  return options;
}

// The module's output; throws sdk::Error with the module's error when it fails.
sdk::Json call_json(const ModuleCaller& caller, const std::string& module_id,
                    const rapidjson::Value& input, bool stoppable) {
  const CallOutcome outcome = caller.call(module_id, sdk::to_json(input), 0, stoppable);
  if (outcome.interrupted) throw sdk::Error("EXECUTION_CANCELLED", "interrupted (Ctrl-C)");
  if (!outcome.ok) throw sdk::Error(outcome.code, outcome.message, outcome.details);
  return sdk::parse_json(outcome.output);
}

sdk::Json task_id_input(const std::string& id) {
  sdk::Json input = sdk::make_object();
  sdk::set(input, "task_id", id);
  return input;
}

std::vector<std::string> roots_of(const sdk::Json& created) {
  std::vector<std::string> roots;
  if (created.HasMember("root_task_ids") && created["root_task_ids"].IsArray()) {
    for (const auto& id : created["root_task_ids"].GetArray()) {
      if (id.IsString()) roots.emplace_back(id.GetString());
    }
  }
  if (roots.empty()) roots.push_back(sdk::get_string(created, "root_task_id"));
  return roots;
}

size_t terminal_width() {
  winsize size{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

// Runs created trees to their end: events in, progress out, cancellation on request.
class TreeRun {
 public:
  TreeRun(const ModuleCaller& caller, std::vector<std::string> roots)
      : caller_(caller),
        roots_(std::move(roots)),
        feed_(caller.host()),
        view_(std::cerr, isatty(STDERR_FILENO) != 0, terminal_width()) {}

  // Watches every tree before starting any, so that no event is missed.
  void start() {
    for (const auto& root : roots_) {
      feed_.watch(root);
      std::optional<sdk::Json> listing;
      try {
        listing = call_json(caller_, "apflow.task.tree", task_id_input(root), false);
      } catch (const sdk::Error&) {
        // Only the task names and count are lost; events still name what runs.
      }
      state_.add_tree(root, listing ? &*listing : nullptr);
    }
    for (const auto& root : roots_) {
      const CallOutcome outcome =
          caller_.call("apflow.task.execute", sdk::to_json(task_id_input(root)), 0, false);
      if (outcome.ok) continue;
      state_.end_tree(root, "failed", outcome.message);
      view_.note(error_line(outcome.code, outcome.message, outcome.details), state_);
    }
    view_.refresh(state_);
  }

  Ending watch(int64_t timeout_s) {
    const auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
    while (!state_.finished()) {
      pump(kPoll);
      if (caller_.stop_requested()) {
        cancel("Cancelled from the command line (Ctrl-C)");
        return Ending::kInterrupted;
      }
      if (timeout_s > 0 && Clock::now() >= deadline) {
        cancel("Cancelled by apflow run after --timeout-s " + std::to_string(timeout_s));
        return Ending::kTimedOut;
      }
    }
    return Ending::kFinished;
  }

  std::vector<sdk::Json> results(bool& complete) {
    view_.finish(state_);
    std::vector<sdk::Json> trees;
    for (const auto& root : roots_) {
      try {
        trees.push_back(call_json(caller_, "apflow.task.tree", task_id_input(root), false));
      } catch (const sdk::Error& e) {
        std::cerr << error_line(e.code(), e.what(), e.details_json()) << "\n";
        complete = false;
      }
    }
    return trees;
  }

 private:
  void pump(std::chrono::milliseconds wait) {
    for (const auto& raw : feed_.take(wait)) {
      const RunEvent event = parse_event(raw);
      if (state_.apply(event)) view_.on_event(event, state_);
    }
    view_.refresh(state_);
  }

  void cancel(const std::string& message) {
    sdk::Json input = sdk::make_object();
    rapidjson::Value ids(rapidjson::kArrayType);
    for (const auto& tree : state_.trees()) {
      if (!tree.ended())
        ids.PushBack(rapidjson::Value(tree.root_id, input.GetAllocator()), input.GetAllocator());
    }
    const size_t count = ids.Size();
    input.AddMember("task_ids", ids, input.GetAllocator());
    sdk::set(input, "error_message", message);
    view_.note("cancelling " + std::to_string(count) + " task tree(s): " + message, state_);
    try {
      call_json(caller_, "apflow.task.cancel", input, false);
    } catch (const sdk::Error& e) {
      view_.note(error_line(e.code(), e.what(), e.details_json()), state_);
    }
    const auto deadline = Clock::now() + kCancelWait;
    while (!state_.finished() && Clock::now() < deadline) pump(kPoll);
    if (!state_.finished()) {
      view_.note("some trees did not confirm their cancellation within 10 s", state_);
    }
  }

  const ModuleCaller& caller_;
  std::vector<std::string> roots_;
  EventFeed feed_;
  RunState state_;
  ProgressView view_;
};

int run_file(const ModuleCaller& caller, const RunOptions& options) {
  const Format format = parse_format(options.format, isatty(STDOUT_FILENO) != 0);
  const int64_t timeout_s = positive_option(options.timeout_s, "timeout-s", "seconds");
  const sdk::Json input = load_task_file(options.file);
  EventFeed::require_events(caller.host());  // before anything is created
  TreeRun run(caller, roots_of(call_json(caller, "apflow.task.create_tree", input, true)));
  run.start();
  const Ending ending = run.watch(timeout_s);
  bool complete = true;
  const std::vector<sdk::Json> trees = run.results(complete);
  std::cout << (format == Format::kJson ? results_json(trees) + "\n" : results_table(trees));
  std::cout.flush();
  if (ending == Ending::kInterrupted) return kExitInterrupted;
  if (ending == Ending::kTimedOut) return kExitFailed;
  return complete && all_completed(trees) ? kExitOk : kExitFailed;
}

}  // namespace

int run_tree_file(const ModuleCaller& caller, const std::vector<std::string>& args) {
  try {
    const auto options = parse_options(args);
    return options ? run_file(caller, *options) : kExitOk;
  } catch (const sdk::Error& e) {
    std::cerr << error_line(e.code(), e.what(), e.details_json()) << "\n";
    if (e.code() == "EXECUTION_CANCELLED" && caller.stop_requested()) return kExitInterrupted;
    return exit_code_for(e.code());
  } catch (const std::exception& e) {
    std::cerr << error_line("GENERAL_INTERNAL_ERROR", e.what()) << "\n";
    return kExitFailed;
  }
}

}  // namespace apflow::plugins::cli
