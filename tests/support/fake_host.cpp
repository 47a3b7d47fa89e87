#include "fake_host.h"

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string_view>

// A `fuzz.hold` call. The handle may be released before the call ends; the call lives on in
// the list of held calls until it is finished.
struct HeldCall {
  void (*on_done)(void*, apflow_status, const char*, size_t, const apflow_error*);
  void* user_data;
  std::atomic<bool> finished{false};
};
struct apflow_invocation {
  std::shared_ptr<HeldCall> call;
};

namespace apflow::fake {
namespace {

// Described like the host's own modules (Host::list_modules), with schemas and annotations so
// that the MCP catalog and the A2A card have something to build.
constexpr std::string_view kModules = R"([
  {"module_id":"fuzz.echo","name":"Echo","description":"Answers with its input.",
   "input_schema":{"type":"object","properties":{"task_id":{"type":"string"}}},
   "output_schema":{"type":"object"},"annotations":{"readonly":true,"idempotent":true}},
  {"module_id":"fuzz.fail","description":"Always fails.","input_schema":{"type":"object"},
   "annotations":{"destructive":true,"requires_approval":true,"streaming":true}},
  {"module_id":"apflow.task.execute","description":"Runs a tree.",
   "input_schema":{"type":"object","properties":{"task_id":{"type":"string"}}}},
  {"module_id":"apflow.task.get","description":"Reads a task.",
   "input_schema":{"type":"object"}},
  {"module_id":"fuzz.hold","description":"Answers {} when the test releases it.",
   "input_schema":{"type":"object"}}])";

std::atomic<bool> holding{false};
std::mutex held_mutex;
std::deque<std::shared_ptr<HeldCall>> held;  // in flight, oldest first

// Takes `call` out of the held list; true when it was still there.
bool take_held(const std::shared_ptr<HeldCall>& call) {
  std::lock_guard lock(held_mutex);
  for (auto it = held.begin(); it != held.end(); ++it) {
    if (*it == call) {
      held.erase(it);
      return true;
    }
  }
  return false;
}

void finish_held(HeldCall& call, apflow_status status) {
  if (call.finished.exchange(true)) return;
  apflow_error error{};
  error.struct_size = sizeof(error);
  error.retryable = -1;
  error.code = "EXECUTION_CANCELLED";
  error.message = "cancelled";
  if (status == APFLOW_OK) {
    call.on_done(call.user_data, APFLOW_OK, "{}", 2, nullptr);
  } else {
    call.on_done(call.user_data, status, nullptr, 0, &error);
  }
}

int log_enabled(const apflow_host_api*, apflow_log_level) {
  return 0;
}
void log(const apflow_host_api*, apflow_log_level, const char*) {}

apflow_status list_modules(const apflow_host_api*, apflow_text_sink* out, apflow_error_sink*) {
  out->write(out->context, kModules.data(), kModules.size());
  return APFLOW_OK;
}

// Finishes every call before returning, as the host may for a refused input.
apflow_status invoke(const apflow_host_api*, const apflow_invoke_request* request,
                     apflow_invocation** out, apflow_error_sink*) {
  *out = nullptr;
  const std::string_view id = request->module_id;
  if (request->on_progress != nullptr) request->on_progress(request->user_data, 0.5, "half");
  if (id == "fuzz.hold" && holding) {
    auto call = std::make_shared<HeldCall>();
    call->on_done = request->on_done;
    call->user_data = request->user_data;
    {
      std::lock_guard lock(held_mutex);
      held.push_back(call);
    }
    *out = new apflow_invocation{std::move(call)};
    return APFLOW_OK;
  }
  if (id == "fuzz.echo") {
    request->on_done(request->user_data, APFLOW_OK, request->input_json, request->input_size,
                     nullptr);
    return APFLOW_OK;
  }
  apflow_error error{};
  error.struct_size = sizeof(error);
  error.retryable = -1;
  if (id == "fuzz.fail") {
    error.code = "MODULE_EXECUTE_ERROR";
    error.message = "failed on purpose";
    error.details_json = R"({"why":"fuzz"})";
  } else {
    error.code = "MODULE_NOT_FOUND";
    error.message = "no such module";
  }
  request->on_done(request->user_data, APFLOW_ERROR, nullptr, 0, &error);
  return APFLOW_OK;
}

void cancel_invocation(apflow_invocation* invocation) {
  if (invocation == nullptr) return;
  if (take_held(invocation->call)) finish_held(*invocation->call, APFLOW_CANCELLED);
}
void release_invocation(apflow_invocation* invocation) {
  delete invocation;
}

const apflow_host_api kApi = [] {
  apflow_host_api api{};
  api.struct_size = APFLOW_HOST_API_V1_SIZE;
  api.abi_major = APFLOW_ABI_MAJOR;
  api.abi_minor = 0;
  api.host_version = "0.0.0-fuzz";
  api.log_enabled = &log_enabled;
  api.log = &log;
  api.list_modules = &list_modules;
  api.invoke = &invoke;
  api.cancel_invocation = &cancel_invocation;
  api.release_invocation = &release_invocation;
  return api;
}();

}  // namespace

const apflow_host_api* fake_host_api() {
  return &kApi;
}

void allow_held_calls(bool on) {
  holding = on;
}

bool release_oldest_held() {
  std::shared_ptr<HeldCall> call;
  {
    std::lock_guard lock(held_mutex);
    if (held.empty()) return false;
    call = held.front();
    held.pop_front();
  }
  finish_held(*call, APFLOW_OK);
  return true;
}

int held_calls() {
  std::lock_guard lock(held_mutex);
  return static_cast<int>(held.size());
}

const sdk::Json& fake_modules() {
  static const sdk::Json modules = sdk::parse_json(kModules);
  return modules;
}

}  // namespace apflow::fake
