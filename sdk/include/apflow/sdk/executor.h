// Base classes for executors and modules, and the trampolines that adapt them to the C ABI.
//
// An executor (or module) class declares its metadata as static members and derives from one
// base:
//   static constexpr std::string_view kId = "echo";            // required
//   static constexpr std::string_view kDescription = "...";    // required, <= 200 chars
//   static constexpr std::string_view kInputSchema = R"({...})";   // optional, default {}
//   static constexpr std::string_view kOutputSchema = R"({...})";  // optional, default {}
//   optional: kName, kVersion, kAnnotations (JSON object), kTags (JSON array),
//             kExamples (JSON array), kDocumentation (Markdown)
// A constructor taking `const PluginContext&` receives the host and the plugin's config section;
// otherwise the class is default-constructed. One instance serves every call, concurrently.
#pragma once

#include <apflow/abi.h>
#include <apflow/sdk/call.h>
#include <apflow/sdk/error.h>
#include <apflow/sdk/host.h>
#include <apflow/sdk/json.h>

#include <exception>
#include <string>
#include <string_view>

namespace apflow::sdk {

// What a plugin's classes receive when they are constructed during init().
struct PluginContext {
  Host host;
  const Json& config;  // the plugin's validated section plugins.<id>, {} when absent
};

// Runs the work on the calling thread (a host worker) and returns the result object.
class BlockingExecutor {
 public:
  virtual ~BlockingExecutor() = default;
  virtual Json run(const Json& inputs, Call& call) = 0;
};

// Starts the work and returns at once; finishes later through `done`, from any thread.
class AsyncExecutor {
 public:
  virtual ~AsyncExecutor() = default;
  virtual void start(Json inputs, Call call, Completion done) = 0;
};

// Modules are called exactly like executors; these names read better for plain modules.
using BlockingModule = BlockingExecutor;
using AsyncModule = AsyncExecutor;

namespace detail {

inline Error to_error(std::exception_ptr failure) noexcept {
  try {
    std::rethrow_exception(failure);
  } catch (const Error& e) {
    return e;
  } catch (const std::exception& e) {
    return Error("MODULE_EXECUTE_ERROR", e.what());
  } catch (...) {
    return Error("MODULE_EXECUTE_ERROR", "the module threw an unknown exception");
  }
}

template <typename T>
void invoke(void* user_data, apflow_call* raw, const char* input, size_t size) noexcept {
  Completion done(raw);
  try {
    Json inputs = parse_json(std::string_view(input, size));
    auto* self = static_cast<T*>(user_data);
    if constexpr (std::is_base_of_v<AsyncExecutor, T>) {
      self->start(std::move(inputs), Call(raw), std::move(done));
    } else {
      Call call(raw);
      Json output = self->run(inputs, call);
      done.succeed(output);
    }
  } catch (...) {
    done.fail(to_error(std::current_exception()));
  }
}

// Text of an optional static member, or nullptr when the class does not declare it.
#define APFLOW_SDK_OPTIONAL_TEXT(member)                                  \
  template <typename T>                                                   \
  std::string optional_##member() {                                       \
    if constexpr (requires { T::member; }) return std::string(T::member); \
    return {};                                                            \
  }
APFLOW_SDK_OPTIONAL_TEXT(kName)
APFLOW_SDK_OPTIONAL_TEXT(kVersion)
APFLOW_SDK_OPTIONAL_TEXT(kInputSchema)
APFLOW_SDK_OPTIONAL_TEXT(kOutputSchema)
APFLOW_SDK_OPTIONAL_TEXT(kAnnotations)
APFLOW_SDK_OPTIONAL_TEXT(kTags)
APFLOW_SDK_OPTIONAL_TEXT(kExamples)
APFLOW_SDK_OPTIONAL_TEXT(kDocumentation)
#undef APFLOW_SDK_OPTIONAL_TEXT

// Owns the strings an apflow_module_def points to, for the life of the process.
struct ModuleMetadata {
  std::string id, name, description, version, input_schema, output_schema, annotations, tags,
      examples, documentation;

  template <typename T>
  static ModuleMetadata of() {
    return ModuleMetadata{.id = std::string(T::kId),
                          .name = optional_kName<T>(),
                          .description = std::string(T::kDescription),
                          .version = optional_kVersion<T>(),
                          .input_schema = optional_kInputSchema<T>(),
                          .output_schema = optional_kOutputSchema<T>(),
                          .annotations = optional_kAnnotations<T>(),
                          .tags = optional_kTags<T>(),
                          .examples = optional_kExamples<T>(),
                          .documentation = optional_kDocumentation<T>()};
  }

  apflow_module_def def(apflow_invoke_fn invoke, void* user_data) const noexcept {
    auto c = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
    return apflow_module_def{sizeof(apflow_module_def),
                             id.c_str(),
                             c(name),
                             description.c_str(),
                             c(version),
                             c(input_schema),
                             c(output_schema),
                             c(annotations),
                             c(tags),
                             c(examples),
                             c(documentation),
                             invoke,
                             user_data};
  }
};

}  // namespace detail
}  // namespace apflow::sdk
