#include <pwd.h>
#include <unistd.h>

#include <system_error>

#include "config/config.h"
#include "core/error.h"

extern char** environ;

namespace apflow::config {
namespace {

namespace fs = std::filesystem;

std::string lookup(const Environment& env, const std::string& name) {
  auto found = env.vars.find(name);
  return found == env.vars.end() ? std::string() : found->second;
}

fs::path home_from_passwd() {
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::string buffer(size > 0 ? static_cast<std::size_t>(size) : 16384, '\0');
  passwd entry{};
  passwd* result = nullptr;
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &result) != 0 || !result) {
    return {};
  }
  return result->pw_dir;
}

// A path that the user named, so it must be there: report exactly what is wrong with it.
fs::path required_file(const fs::path& path, const std::string& origin) {
  std::error_code error;
  auto status = fs::status(path, error);
  if (fs::is_regular_file(status)) return path;
  std::string problem = fs::exists(status) ? "is not a regular file" : "does not exist";
  throw Error(codes::kConfigNotFound,
              "config file " + path.string() + " (from " + origin + ") " + problem);
}

bool usable(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

}  // namespace

Environment Environment::from_process() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    auto equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    env.vars.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  std::error_code error;
  env.cwd = fs::current_path(error);
  std::string home = lookup(env, "HOME");
  env.home = home.empty() ? home_from_passwd() : fs::path(home);
  return env;
}

std::optional<fs::path> find_config_file(const LoadOptions& options) {
  const Environment& env = options.env;
  auto absolute = [&env](const fs::path& path) {
    return path.is_absolute() ? path : env.cwd / path;
  };
  if (options.explicit_path) return required_file(absolute(*options.explicit_path), "--config");
  if (std::string named = lookup(env, "APFLOW_CONFIG"); !named.empty()) {
    return required_file(absolute(named), "APFLOW_CONFIG");
  }
  if (fs::path local = env.cwd / "apflow.yaml"; !env.cwd.empty() && usable(local)) return local;
  // XDG says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  fs::path xdg = lookup(env, "XDG_CONFIG_HOME");
  fs::path user_dir = xdg.is_absolute()  ? xdg
                      : env.home.empty() ? fs::path()
                                         : env.home / ".config";
  if (!user_dir.empty() && usable(user_dir / "apflow" / "apflow.yaml")) {
    return user_dir / "apflow" / "apflow.yaml";
  }
  return std::nullopt;
}

}  // namespace apflow::config
