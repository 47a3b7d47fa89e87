#include "cli/module_command.h"

#include <apflow/sdk/error.h>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <deque>
#include <iostream>

#include "cli/cli_errors.h"
#include "cli/command_lookup.h"
#include "cli/command_names.h"
#include "cli/input_merge.h"
#include "cli/output_format.h"
#include "cli/schema_flags.h"

namespace apflow::plugins::cli {
namespace {

// What the parser fills in: one slot per flag, plus the options every module command has.
struct ParsedLine {
  std::vector<std::string> texts;  // non-boolean flags
  std::deque<bool> switches;       // boolean flags (a deque: the parser keeps references)
  std::vector<CLI::Option*> options;
  std::string input, format, timeout;
};

const char* type_name_of(const FlagSpec& spec) {
  switch (spec.kind) {
    case FlagKind::kInteger:
      return "INT";
    case FlagKind::kNumber:
      return "NUMBER";
    case FlagKind::kJson:
      return "JSON";
    case FlagKind::kAny:
      return "VALUE";
    default:
      return "TEXT";
  }
}

void add_flags(CLI::App& app, const std::vector<FlagSpec>& specs, ParsedLine& line) {
  line.texts.resize(specs.size());
  line.switches.resize(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    const FlagSpec& spec = specs[i];
    CLI::Option* option = nullptr;
    if (spec.kind == FlagKind::kBoolean) {
      option = app.add_flag("--" + spec.flag + ",!--no-" + spec.flag, line.switches[i], spec.help);
    } else {
      option = app.add_option("--" + spec.flag, line.texts[i], spec.help);
      option->type_name(spec.kind == FlagKind::kChoice ? choice_list(spec) : type_name_of(spec));
    }
    line.options.push_back(option);
  }
  app.add_option("--input", line.input, "Read a JSON object from stdin; flags win over its keys")
      ->type_name("-")
      ->group("Common options");
  app.add_option("--format", line.format, "json or table (default: table on a terminal)")
      ->type_name("FORMAT")
      ->group("Common options");
  app.add_option("--timeout", line.timeout, "Deadline of the call in milliseconds")
      ->type_name("MS")
      ->group("Common options");
}

sdk::Json input_of(const std::vector<FlagSpec>& specs, const ParsedLine& line) {
  sdk::Json base = sdk::make_object();
  if (line.input == "-") {
    base = read_input_object(std::cin);
  } else if (!line.input.empty()) {
    throw sdk::Error("GENERAL_INVALID_INPUT",
                     "--input takes '-' (a JSON object on stdin), got '" + line.input + "'");
  }
  sdk::Json flags = sdk::make_object();
  auto& alloc = flags.GetAllocator();
  for (size_t i = 0; i < specs.size(); ++i) {
    if (line.options[i]->count() == 0) continue;
    rapidjson::Value value = specs[i].kind == FlagKind::kBoolean
                                 ? rapidjson::Value(line.switches[i])
                                 : flag_value(specs[i], line.texts[i], alloc);
    flags.AddMember(rapidjson::Value(specs[i].property.c_str(), alloc), value, alloc);
  }
  return merge_inputs(std::move(base), flags);
}

int print_outcome(const CallOutcome& outcome, Format format) {
  if (outcome.interrupted) {
    std::cerr << error_line("EXECUTION_CANCELLED", "interrupted; the call was cancelled") << "\n";
    return kExitInterrupted;
  }
  if (!outcome.ok) {
    std::cerr << error_line(outcome.code, outcome.message, outcome.details) << "\n";
    return exit_code_for(outcome.code);
  }
  const sdk::Json output = sdk::parse_json(outcome.output);
  std::cout << (format == Format::kJson ? pretty_json(output) + "\n" : table_text(output));
  std::cout.flush();
  return kExitOk;
}

int run_module(const ModuleCaller& caller, const rapidjson::Value& module, const std::string& usage,
               std::vector<std::string> rest) {
  const std::string module_id = sdk::get_string(module, "module_id");
  const auto schema = module.FindMember("input_schema");
  const rapidjson::Value no_schema;
  const std::vector<FlagSpec> specs =
      flags_from_schema(schema != module.MemberEnd() ? schema->value : no_schema);
  CLI::App app(sdk::get_string(module, "description") + "\nModule: " + module_id, usage);
  ParsedLine line;
  add_flags(app, specs, line);
  try {
    std::reverse(rest.begin(), rest.end());  // the parser takes arguments last to first
    app.parse(rest);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    throw sdk::Error("GENERAL_INVALID_INPUT",
                     std::string(e.what()) + " (see " + usage + " --help)");
  }
  const sdk::Json input = input_of(specs, line);
  const Format format = parse_format(line.format, isatty(STDOUT_FILENO) != 0);
  return print_outcome(caller.call(module_id, sdk::to_json(input),
                                   positive_option(line.timeout, "timeout", "milliseconds")),
                       format);
}

}  // namespace

int run_module_command(const ModuleCaller& caller, const std::vector<std::string>& args) {
  try {
    const sdk::Json modules = caller.host().list_modules();
    const CommandIndex index(modules);
    for (const auto& id : index.shadowed()) {
      caller.host().log(sdk::LogLevel::kDebug,
                        "module " + id + " has no command: another module has its words");
    }
    const CommandTarget target = find_command(index, args);
    if (target.module != nullptr) {
      return run_module(caller, *target.module, target.usage,
                        std::vector<std::string>(args.begin() + target.first_flag, args.end()));
    }
    const bool asked = args.size() > 1 && (args[1] == "--help" || args[1] == "-h");
    (asked ? std::cout : std::cerr) << group_help(index, target.group);
    if (asked) return kExitOk;
    std::cerr << error_line("GENERAL_INVALID_INPUT",
                            "apflow " + target.group + " needs one of the commands above")
              << "\n";
    return kExitUsage;
  } catch (const sdk::Error& e) {
    std::cerr << error_line(e.code(), e.what(), e.details_json()) << "\n";
    return exit_code_for(e.code());
  } catch (const std::exception& e) {
    std::cerr << error_line("GENERAL_INTERNAL_ERROR", e.what()) << "\n";
    return kExitFailed;
  }
}

}  // namespace apflow::plugins::cli
