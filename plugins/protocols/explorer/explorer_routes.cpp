#include "explorer/explorer_routes.h"

#include <algorithm>
#include <cctype>

#include "common/http_policy.h"
#include "explorer/explorer_assets.h"

namespace apflow::plugins::explorer {
namespace {

constexpr std::string_view kAssets = "assets/";
constexpr std::string_view kModules = "api/modules";
constexpr std::string_view kTrees = "api/trees";
constexpr std::string_view kCallSuffix = "/call";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// An IPv4 literal, or an IPv6 one in brackets, with an optional port.
bool is_ip_host(std::string_view host) {
  if (host.starts_with('[')) return host.find(']') != std::string_view::npos;
  host = host.substr(0, host.find(':'));
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
}

// "/explorer/api/modules/<id>[/call]" once the prefix is gone: the module route.
Route module_route(std::string_view rest) {
  if (rest.empty()) return {RouteKind::kModules, {}};
  if (!rest.starts_with('/') || rest.size() == 1) return {};
  rest.remove_prefix(1);
  if (rest.ends_with(kCallSuffix) && rest.size() > kCallSuffix.size()) {
    rest.remove_suffix(kCallSuffix.size());
    return {RouteKind::kCall, percent_decode(rest)};
  }
  if (rest.find('/') != std::string_view::npos) return {};
  return {RouteKind::kModule, percent_decode(rest)};
}

}  // namespace

bool is_explorer_path(std::string_view path) {
  return path == kPrefix || (path.starts_with(kPrefix) && path[kPrefix.size()] == '/');
}

Route route(std::string_view path) {
  if (path == kPrefix) return {RouteKind::kRedirect, {}};
  if (!is_explorer_path(path)) return {};
  std::string_view rest = path.substr(kPrefix.size() + 1);
  if (rest.empty() || rest == "index.html") return {RouteKind::kPage, {}};
  if (rest.starts_with(kAssets)) {
    rest.remove_prefix(kAssets.size());
    if (find_asset(rest) == nullptr) return {};
    return {RouteKind::kAsset, std::string(rest)};
  }
  if (rest.starts_with(kModules)) return module_route(rest.substr(kModules.size()));
  if (rest == kTrees) return {RouteKind::kTrees, {}};
  if (rest.starts_with(kTrees) && rest[kTrees.size()] == '/' && rest.size() > kTrees.size() + 1) {
    const std::string_view id = rest.substr(kTrees.size() + 1);
    if (id.find('/') != std::string_view::npos) return {};
    return {RouteKind::kTree, percent_decode(id)};
  }
  if (rest == "api/events") return {RouteKind::kEvents, {}};
  return {};
}

protocols::http::verb method_of(RouteKind kind) {
  return kind == RouteKind::kCall ? protocols::http::verb::post : protocols::http::verb::get;
}

bool is_api(RouteKind kind) {
  switch (kind) {
    case RouteKind::kModules:
    case RouteKind::kModule:
    case RouteKind::kCall:
    case RouteKind::kTrees:
    case RouteKind::kTree:
    case RouteKind::kEvents:
      return true;
    default:
      return false;
  }
}

std::vector<std::string> public_paths() {
  std::vector<std::string> paths{std::string(kPrefix), std::string(kPrefix) + "/",
                                 std::string(kPrefix) + "/index.html"};
  for (const auto& asset : embedded_assets()) {
    paths.push_back(std::string(kPrefix) + "/" + std::string(kAssets) + std::string(asset.name));
  }
  return paths;
}

std::string page_url(std::string_view server_url) {
  const size_t scheme = server_url.find("://");
  const size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  const size_t path = server_url.find('/', start);
  return std::string(server_url.substr(0, path)) + std::string(kPrefix) + "/";
}

std::string query_param(std::string_view target, std::string_view name) {
  const size_t question = target.find('?');
  if (question == std::string_view::npos) return {};
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t equals = pair.find('=');
    if (pair.substr(0, equals) == name) {
      return equals == std::string_view::npos ? std::string()
                                              : percent_decode(pair.substr(equals + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool origin_allowed(std::string_view origin, std::string_view host_header,
                    const std::vector<std::string>& allowed) {
  if (origin.empty() || protocols::is_local_origin(origin)) return true;
  if (std::any_of(allowed.begin(), allowed.end(),
                  [origin](const std::string& entry) { return entry == "*" || entry == origin; })) {
    return true;
  }
  if (host_header.empty() || !is_ip_host(host_header)) return false;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.starts_with(scheme) && origin.substr(scheme.size()) == host_header) return true;
  }
  return false;
}

}  // namespace apflow::plugins::explorer
