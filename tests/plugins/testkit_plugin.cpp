// testkit: a test-only plugin exercising every part of the SDK — a blocking executor, plain
// modules that sleep, fail, misbehave or complete from another thread, a config section, and a
// protocol command that calls modules back through the host API.
#include <apflow/sdk/sdk.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

namespace sdk = apflow::sdk;

namespace {

class Echo final : public sdk::BlockingExecutor {
 public:
  static constexpr std::string_view kId = "echo_executor";
  static constexpr std::string_view kDescription = "Returns its input under 'echo'.";
  static constexpr std::string_view kInputSchema = R"({"type":"object",
    "properties":{"message":{"type":"string","minLength":1},"count":{"type":"integer","minimum":0}},
    "required":["message"],"additionalProperties":false})";
  static constexpr std::string_view kOutputSchema = R"({"type":"object",
    "properties":{"echo":{"type":"string"},"prefix":{"type":"string"}},"required":["echo"]})";
  static constexpr std::string_view kAnnotations = R"({"readonly":true,"idempotent":true})";
  static constexpr std::string_view kTags = R"(["test","echo"])";
  static constexpr std::string_view kExamples =
      R"([{"title":"Say hi","inputs":{"message":"hi"},"output":{"echo":"hi"}}])";

  explicit Echo(const sdk::PluginContext& context)
      : prefix_(sdk::get_string(context.config, "prefix")) {}

  sdk::Json run(const sdk::Json& inputs, sdk::Call& call) override {
    call.progress(0.5, "halfway");
    call.log(sdk::LogLevel::kDebug, "echoing");
    auto out = sdk::make_object();
    sdk::set(out, "echo", prefix_ + sdk::get_string(inputs, "message"));
    sdk::set(out, "prefix", prefix_);
    call.progress(1.0);
    return out;
  }

 private:
  std::string prefix_;
};

// A permissive executor for engine tests: returns what it received (so tests see injected
// dependency results), and on request sleeps (watching for cancellation), reports progress in
// steps, or fails with a message.
class Record final : public sdk::BlockingExecutor {
 public:
  static constexpr std::string_view kId = "record_executor";
  static constexpr std::string_view kDescription = "Returns its inputs; may sleep or fail.";
  static constexpr std::string_view kInputSchema = R"({"type":"object","properties":{
    "sleep_ms":{"type":"integer","minimum":0},"steps":{"type":"integer","minimum":1},
    "fail":{"type":"string"},"fail_until_attempt":{"type":"integer","minimum":1},"checkpoint":{"type":"boolean"},"crash_on_attempt":{"type":"integer","minimum":1},"crash_always":{"type":"boolean"}}})";

  sdk::Json run(const sdk::Json& inputs, sdk::Call& call) override {
    const int64_t steps = sdk::get_int(inputs, "steps", 1);
    const auto step_time = std::chrono::milliseconds(sdk::get_int(inputs, "sleep_ms") / steps);
    for (int64_t i = 1; i <= steps; ++i) {
      const auto until = std::chrono::steady_clock::now() + step_time;
      while (std::chrono::steady_clock::now() < until) {
        call.throw_if_cancelled();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      call.progress(static_cast<double>(i) / static_cast<double>(steps));
    }
    // An executor that takes its whole process down, as a segfaulting library would.
    if (sdk::get_bool(inputs, "crash_always") ||
        static_cast<int64_t>(call.attempt()) == sdk::get_int(inputs, "crash_on_attempt", 0)) {
      std::_Exit(134);
    }
    // Checkpointing: each attempt resumes from the step the last one saved, then saves its own.
    int64_t resumed_from = 0;
    if (inputs.IsObject() && inputs.HasMember("checkpoint") && inputs["checkpoint"].IsTrue()) {
      if (auto saved = call.load_checkpoint()) resumed_from = sdk::get_int(*saved, "step", 0);
      auto state = sdk::make_object();
      sdk::set(state, "step", resumed_from + 1);
      call.save_checkpoint(state);
    }
    const std::string fail = sdk::get_string(inputs, "fail");
    if (!fail.empty()) throw sdk::Error("RECORD_FAILED", fail);
    // A flaky service: attempts before this one fail with an error worth retrying.
    if (call.attempt() < sdk::get_int(inputs, "fail_until_attempt", 0)) {
      throw sdk::Error("RECORD_FLAKY", "flaky on attempt " + std::to_string(call.attempt()), {},
                       sdk::Retry::kYes);
    }
    auto out = sdk::make_object();
    sdk::set(out, "inputs", static_cast<const rapidjson::Value&>(inputs));
    sdk::set(out, "task_id", call.task_id());
    sdk::set(out, "attempt", static_cast<int64_t>(call.attempt()));
    sdk::set(out, "resumed_from", resumed_from);
    return out;
  }
};

// Sleeps for `ms` milliseconds unless cancelled first.
class Sleep final : public sdk::BlockingModule {
 public:
  static constexpr std::string_view kId = "testkit.sleep";
  static constexpr std::string_view kDescription = "Sleeps, watching for cancellation.";
  static constexpr std::string_view kInputSchema =
      R"({"type":"object","properties":{"ms":{"type":"integer","minimum":0}},"required":["ms"]})";

  sdk::Json run(const sdk::Json& inputs, sdk::Call& call) override {
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(sdk::get_int(inputs, "ms"));
    while (std::chrono::steady_clock::now() < until) {
      call.throw_if_cancelled();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return sdk::make_object();
  }
};

// Fails with the code and message it is given.
class Fail final : public sdk::BlockingModule {
 public:
  static constexpr std::string_view kId = "testkit.fail";
  static constexpr std::string_view kDescription = "Fails with a chosen error code.";

  sdk::Json run(const sdk::Json& inputs, sdk::Call&) override {
    const std::string code = sdk::get_string(inputs, "code");
    if (code.empty()) throw std::runtime_error(sdk::get_string(inputs, "message", "boom"));
    throw sdk::Error(code, sdk::get_string(inputs, "message", "boom"));
  }
};

// Returns a result that breaks its own output schema.
class BadOutput final : public sdk::BlockingModule {
 public:
  static constexpr std::string_view kId = "testkit.bad_output";
  static constexpr std::string_view kDescription = "Returns output that breaks its schema.";
  static constexpr std::string_view kOutputSchema =
      R"({"type":"object","properties":{"count":{"type":"integer"}},"required":["count"]})";

  sdk::Json run(const sdk::Json&, sdk::Call&) override {
    auto out = sdk::make_object();
    sdk::set(out, "count", "not a number");
    return out;
  }
};

// Completes from a thread of its own, after returning from start().
class AsyncEcho final : public sdk::AsyncModule {
 public:
  static constexpr std::string_view kId = "testkit.async_echo";
  static constexpr std::string_view kDescription = "Echoes from another thread.";

  // Joined, not detached: no thread of the plugin outlives it into process exit.
  ~AsyncEcho() override {
    for (auto& thread : threads_) thread.join();
  }

  void start(sdk::Json inputs, sdk::Call, sdk::Completion done) override {
    std::lock_guard lock(mutex_);
    threads_.emplace_back([inputs = std::move(inputs), done = std::move(done)]() mutable {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      auto out = sdk::make_object();
      sdk::set(out, "echo", static_cast<const rapidjson::Value&>(inputs));
      done.succeed(out);
    });
  }

 private:
  std::mutex mutex_;
  std::vector<std::thread> threads_;
};

// `apflow testkit-call <module> <json>`: calls a module through the host API and prints the
// output (or the error) as JSON on stdout. Exits 0 on success, 1 on a module error.
class CallCommand final : public sdk::Protocol {
 public:
  static constexpr std::string_view kId = "testkit_cli";
  static constexpr std::string_view kDescription = "Calls a module through the host API.";
  static constexpr std::string_view kCommand = "testkit-call";

  int run(sdk::Host& host, const std::vector<std::string>& args) override {
    if (args.size() != 3) {
      std::cerr << "usage: apflow testkit-call <module-id> <input-json>\n";
      return 2;
    }
    struct Waiter {
      std::mutex mutex;
      std::condition_variable cv;
      bool done = false;
      int exit = 0;
      std::string printed;
    } waiter;
    apflow_invoke_request request{};
    request.struct_size = sizeof(request);
    request.module_id = args[1].c_str();
    request.input_json = args[2].c_str();
    request.input_size = args[2].size();
    request.caller_id = "testkit";
    request.user_data = &waiter;
    request.on_done = [](void* user, apflow_status status, const char* out, size_t size,
                         const apflow_error* error) {
      auto* w = static_cast<Waiter*>(user);
      std::lock_guard lock(w->mutex);
      if (status == APFLOW_OK) {
        w->printed.assign(out, size);
      } else {
        w->printed = std::string(R"({"error":{"code":")") + error->code + R"("}})";
        w->exit = 1;
      }
      w->done = true;
      w->cv.notify_all();
    };
    apflow_invocation* invocation = nullptr;
    sdk::ErrorCollector error;
    if (host.raw()->invoke(host.raw(), &request, &invocation, error.sink()) != APFLOW_OK) {
      error.raise("invoke");
    }
    std::unique_lock lock(waiter.mutex);
    waiter.cv.wait(lock, [&] { return waiter.done; });
    host.raw()->release_invocation(invocation);
    std::cout << waiter.printed << "\n";
    return waiter.exit;
  }
};

}  // namespace

APFLOW_PLUGIN("testkit", "0.0.1", APFLOW_EXECUTOR(Echo), APFLOW_EXECUTOR(Record),
              APFLOW_MODULE(Sleep), APFLOW_MODULE(Fail), APFLOW_MODULE(BadOutput),
              APFLOW_MODULE(AsyncEcho), APFLOW_PROTOCOL(CallCommand),
              APFLOW_DESCRIPTION("Test-only plugin"),
              APFLOW_CONFIG_SCHEMA(R"({"type":"object","properties":{"prefix":{"type":"string"}},
                                       "additionalProperties":false})"))
