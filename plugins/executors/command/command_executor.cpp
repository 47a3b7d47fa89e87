// command_executor: runs a local program from an argv array (never through a shell) with its
// own environment, working directory, stdin, time limit and output limits. Refused unless
// plugins.command enables it and allow-lists the program. Knows only the SDK.
#include <apflow/sdk/sdk.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <system_error>

#include "child_process.h"
#include "command_policy.h"
#include "common/inputs.h"

extern char** environ;

namespace apflow::plugins::command {
namespace {

namespace sdk = apflow::sdk;

// Variables a program usually needs; everything else of the host (secrets included) stays out
// unless plugins.command.inherit_environment is set.
constexpr const char* kBaseVariables[] = {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"};

std::vector<std::string> child_environment(const CommandPolicy& policy, const sdk::Json& inputs) {
  std::map<std::string, std::string> vars;
  if (policy.inherit_environment) {
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry(*e);
      const size_t eq = entry.find('=');
      if (eq != std::string::npos) vars[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
  } else {
    for (const char* name : kBaseVariables) {
      if (const char* value = std::getenv(name)) vars[name] = value;
    }
  }
  if (inputs.HasMember("env")) {
    for (const auto& [name, value] : inputs["env"].GetObject()) {
      vars[name.GetString()] = common::scalar_text(value).value_or("");
    }
  }
  std::vector<std::string> out;
  for (const auto& [name, value] : vars) out.push_back(name + "=" + value);
  return out;
}

std::chrono::milliseconds timeout_of(const CommandPolicy& policy, const sdk::Json& inputs) {
  if (!inputs.HasMember("timeout")) return policy.default_timeout;
  const auto wanted = common::seconds_to_ms(sdk::get_double(inputs, "timeout"));
  if (wanted > policy.max_timeout) {
    throw sdk::Error("GENERAL_INVALID_INPUT",
                     "timeout " + std::to_string(wanted.count() / 1000.0) +
                         " s is above plugins.command.max_timeout (" +
                         std::to_string(policy.max_timeout.count() / 1000.0) +
                         " s); ask for less or raise the setting");
  }
  return wanted;
}

ChildSpec spec_of(const CommandPolicy& policy, const sdk::Json& inputs) {
  ChildSpec spec;
  for (const auto& a : inputs["command"].GetArray()) spec.argv.emplace_back(a.GetString());
  spec.program = policy.resolve(spec.argv.front());
  spec.env = child_environment(policy, inputs);
  spec.cwd = sdk::get_string(inputs, "cwd");
  if (!spec.cwd.empty() && !std::filesystem::is_directory(spec.cwd)) {
    throw sdk::Error("GENERAL_INVALID_INPUT",
                     "cwd '" + spec.cwd + "' is not an existing directory; give one that exists");
  }
  spec.stdin_text = sdk::get_string(inputs, "stdin");
  spec.timeout = timeout_of(policy, inputs);
  spec.max_output_bytes = std::min<size_t>(
      policy.max_output_bytes,
      static_cast<size_t>(
          sdk::get_int(inputs, "max_output_bytes", static_cast<int64_t>(policy.max_output_bytes))));
  return spec;
}

sdk::Json result_of(const ChildSpec& spec, const ChildOutcome& outcome) {
  auto out = sdk::make_object();
  sdk::set(out, "success", outcome.exit_code == 0);
  sdk::set(out, "exit_code", outcome.exit_code);
  if (outcome.signal != 0) sdk::set(out, "signal", outcome.signal);
  sdk::set(out, "stdout", outcome.out);
  sdk::set(out, "stderr", outcome.err);
  sdk::set(out, "stdout_truncated", outcome.out_truncated);
  sdk::set(out, "stderr_truncated", outcome.err_truncated);
  sdk::set(out, "duration_ms", static_cast<int64_t>(outcome.duration.count()));
  sdk::set(out, "program", spec.program);
  return out;
}

class CommandExecutor final : public sdk::BlockingExecutor {
 public:
  static constexpr std::string_view kId = "command_executor";
  static constexpr std::string_view kName = "Command Executor";
  static constexpr std::string_view kDescription =
      "Runs an allow-listed local program from an argv array (no shell) and returns its exit "
      "code and output.";
  static constexpr std::string_view kInputSchema = R"json({"type":"object","properties":{
    "command":{"type":"array","items":{"type":"string"},"minItems":1,
      "description":"Program and arguments; the program must be in plugins.command.allowed_programs"},
    "env":{"type":"object","additionalProperties":{"type":["string","number","boolean"]},
      "description":"Variables added to the child's environment"},
    "cwd":{"type":"string","description":"Working directory (must exist)"},
    "stdin":{"type":"string","description":"Text written to the program's standard input"},
    "timeout":{"type":"number","minimum":0,"exclusiveMinimum":true,
      "description":"Seconds before the process group is killed; default plugins.command.default_timeout"},
    "max_output_bytes":{"type":"integer","minimum":0,
      "description":"Bytes kept of stdout and of stderr each; capped by the config"},
    "check":{"type":"boolean","default":false,
      "description":"Fail the call when the program exits non-zero"}},
   "required":["command"],"description":"Other keys (such as injected dependency results) are ignored"})json";
  static constexpr std::string_view kOutputSchema = R"json({"type":"object","properties":{
    "success":{"type":"boolean"},"exit_code":{"type":"integer"},"signal":{"type":"integer"},
    "stdout":{"type":"string"},"stderr":{"type":"string"},
    "stdout_truncated":{"type":"boolean"},"stderr_truncated":{"type":"boolean"},
    "duration_ms":{"type":"integer"},"program":{"type":"string"}},
   "required":["success","exit_code","stdout","stderr","stdout_truncated","stderr_truncated",
               "duration_ms","program"]})json";
  static constexpr std::string_view kAnnotations =
      R"json({"readonly":false,"destructive":true,"idempotent":false,"requires_approval":true,"open_world":true})json";
  static constexpr std::string_view kTags = R"(["system","command"])";
  static constexpr std::string_view kExamples = R"([{"title":"List a directory",
      "inputs":{"command":["ls","-l"],"cwd":"/tmp"}}])";

  explicit CommandExecutor(const sdk::PluginContext& context)
      : policy_(CommandPolicy::from_config(context.config)) {}

  sdk::Json run(const sdk::Json& inputs, sdk::Call& call) override {
    const ChildSpec spec = spec_of(policy_, inputs);
    call.throw_if_cancelled();
    ChildOutcome outcome;
    try {
      outcome = run_child(spec, [&call] { return call.is_cancelled(); });
    } catch (const std::system_error& e) {
      throw sdk::Error("COMMAND_START_FAILED",
                       "could not start '" + spec.argv.front() + "': " + e.code().message());
    }
    if (outcome.cancelled) call.throw_if_cancelled();
    if (outcome.timed_out) {
      throw sdk::Error("COMMAND_TIMEOUT",
                       "'" + spec.argv.front() + "' ran longer than " +
                           std::to_string(spec.timeout.count() / 1000.0) +
                           " s and its process group was killed; raise 'timeout' if it needs "
                           "longer",
                       sdk::to_json(result_of(spec, outcome)));
    }
    if (sdk::get_bool(inputs, "check", false) && outcome.exit_code != 0) {
      throw sdk::Error("COMMAND_FAILED",
                       "'" + spec.argv.front() + "' exited with code " +
                           std::to_string(outcome.exit_code) + ": " + outcome.err.substr(0, 500),
                       sdk::to_json(result_of(spec, outcome)));
    }
    return result_of(spec, outcome);
  }

 private:
  CommandPolicy policy_;
};

}  // namespace
}  // namespace apflow::plugins::command

APFLOW_PLUGIN("command", "0.1.0", APFLOW_EXECUTOR(apflow::plugins::command::CommandExecutor),
              APFLOW_DESCRIPTION("command_executor: runs allow-listed local programs"),
              APFLOW_CONFIG_SCHEMA(R"json({"type":"object","properties":{
    "enabled":{"type":"boolean","default":false,
      "description":"command_executor refuses every call unless this is true"},
    "allowed_programs":{"type":"array","items":{"type":"string","minLength":1},
      "description":"Programs that may run: bare names (found on the host's PATH) or absolute paths"},
    "inherit_environment":{"type":"boolean","default":false,
      "description":"Pass the host's whole environment to programs (default: PATH, HOME, LANG, LC_ALL, TZ, TMPDIR)"},
    "default_timeout":{"type":"number","minimum":0,"exclusiveMinimum":true,"default":60,
      "description":"Seconds a program may run when the call gives no timeout"},
    "max_timeout":{"type":"number","minimum":0,"exclusiveMinimum":true,"default":3600,
      "description":"The largest timeout a call may ask for, in seconds"},
    "max_output_bytes":{"type":"integer","minimum":0,"default":1048576,
      "description":"Bytes kept of stdout and of stderr each"}},
  "additionalProperties":false})json"))
