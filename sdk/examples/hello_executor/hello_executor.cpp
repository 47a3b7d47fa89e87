// hello_executor: the smallest complete apflow executor plugin.
// It greets someone, optionally several times, reporting progress and honouring cancellation.
#include <apflow/sdk/sdk.h>

#include <string>

namespace {

class Hello final : public apflow::sdk::BlockingExecutor {
 public:
  static constexpr std::string_view kId = "hello_executor";
  static constexpr std::string_view kName = "Hello Executor";
  static constexpr std::string_view kDescription = "Greets a person by name.";
  static constexpr std::string_view kInputSchema = R"({
    "type": "object",
    "properties": {
      "name": {"type": "string", "minLength": 1, "description": "Who to greet"},
      "times": {"type": "integer", "minimum": 1, "maximum": 100, "default": 1}
    },
    "required": ["name"],
    "additionalProperties": false
  })";
  static constexpr std::string_view kOutputSchema = R"({
    "type": "object",
    "properties": {"greeting": {"type": "string"}},
    "required": ["greeting"]
  })";
  static constexpr std::string_view kAnnotations = R"({"readonly": true, "idempotent": true,
                                                       "open_world": false})";
  static constexpr std::string_view kTags = R"(["example"])";

  // The plugin's config section (plugins.hello in apflow.yaml) may set the greeting word.
  explicit Hello(const apflow::sdk::PluginContext& context)
      : word_(apflow::sdk::get_string(context.config, "greeting", "Hello")) {}

  apflow::sdk::Json run(const apflow::sdk::Json& inputs, apflow::sdk::Call& call) override {
    const std::string name = apflow::sdk::get_string(inputs, "name");
    const int64_t times = apflow::sdk::get_int(inputs, "times", 1);
    std::string greeting;
    for (int64_t i = 0; i < times; ++i) {
      call.throw_if_cancelled();
      greeting += (i == 0 ? "" : " ") + word_ + ", " + name + "!";
      call.progress(static_cast<double>(i + 1) / static_cast<double>(times));
    }
    auto out = apflow::sdk::make_object();
    apflow::sdk::set(out, "greeting", greeting);
    return out;
  }

 private:
  std::string word_;
};

}  // namespace

APFLOW_PLUGIN("hello", "1.0.0", APFLOW_EXECUTOR(Hello),
              APFLOW_DESCRIPTION("An example executor that greets people"),
              APFLOW_CONFIG_SCHEMA(R"({"type": "object",
                "properties": {"greeting": {"type": "string", "minLength": 1}},
                "additionalProperties": false})"))
