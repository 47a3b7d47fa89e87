#include "app/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "core/error.h"

namespace apflow::app {
namespace {

spdlog::level::level_enum parse_level(const std::string& name, const std::string& source) {
  static const std::pair<const char*, spdlog::level::level_enum> kLevels[] = {
      {"trace", spdlog::level::trace},  {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},    {"warn", spdlog::level::warn},
      {"warning", spdlog::level::warn}, {"error", spdlog::level::err},
      {"off", spdlog::level::off}};
  for (const auto& [text, level] : kLevels) {
    if (name == text) return level;
  }
  throw Error(codes::kGeneralInvalidInput, source + ": unknown log level '" + name +
                                               "' (use trace, debug, info, warn, error or off)");
}

}  // namespace

void init_logging() {
  auto logger = spdlog::stderr_color_mt("apflow");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::info);
  if (const char* env = std::getenv("APFLOW_LOG_LEVEL"); env != nullptr && *env != '\0') {
    try {
      spdlog::set_level(parse_level(env, "APFLOW_LOG_LEVEL"));
    } catch (const Error&) {
      // Reported by apply_log_level once the configuration is known.
    }
  }
}

void apply_log_level(const std::optional<std::string>& flag, const std::string& configured) {
  if (flag) {
    spdlog::set_level(parse_level(*flag, "--log-level"));
  } else if (const char* env = std::getenv("APFLOW_LOG_LEVEL"); env != nullptr && *env != '\0') {
    spdlog::set_level(parse_level(env, "APFLOW_LOG_LEVEL"));
  } else {
    spdlog::set_level(parse_level(configured, "log.level"));
  }
}

}  // namespace apflow::app
