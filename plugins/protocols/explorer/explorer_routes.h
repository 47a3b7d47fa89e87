// Where the explorer lives on a front-end and what each of its paths means: the page and its
// files are public, the JSON API under /explorer/api/ takes the front-end's token. Pure
// functions of the request, so that they can be unit-tested without a server.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/http_types.h"

namespace apflow::plugins::explorer {

inline constexpr std::string_view kPrefix = "/explorer";

enum class RouteKind {
  kRedirect,  // /explorer -> /explorer/, so that the page's relative links resolve
  kPage,      // /explorer/
  kAsset,     // /explorer/assets/<name>
  kModules,   // /explorer/api/modules
  kModule,    // /explorer/api/modules/<id>
  kCall,      // /explorer/api/modules/<id>/call
  kTrees,     // /explorer/api/trees
  kTree,      // /explorer/api/trees/<task id>
  kEvents,    // /explorer/api/events
  kNotFound,
};

struct Route {
  RouteKind kind = RouteKind::kNotFound;
  std::string arg;  // the asset name, module id or task id, percent-decoded
};

// True for /explorer and every path under it.
bool is_explorer_path(std::string_view path);
// What a path under /explorer names (the query string already removed).
Route route(std::string_view path);
// The one method each route answers (GET, or POST for calls).
protocols::http::verb method_of(RouteKind kind);
// True for routes of the JSON API (token, origin check and JSON errors apply).
bool is_api(RouteKind kind);

// The paths the page needs without a token (a browser cannot send one when it navigates):
// /explorer, /explorer/ and each embedded file.
std::vector<std::string> public_paths();
// The page's URL on the server whose URL is given (any path of it): http://h:p/explorer/.
std::string page_url(std::string_view server_url);

// A query parameter's value, percent-decoded ("" when absent).
std::string query_param(std::string_view target, std::string_view name);
// %XX and '+' decoded; a malformed escape is kept as it is.
std::string percent_decode(std::string_view text);

// May a browser page from `origin` use the API? Yes without an Origin (not a browser, or a
// same-origin GET), for this machine's origins, for listed ones ("*": any), and for the
// server's own address when the Host header is an IP address (a DNS-rebinding attack needs a
// name, so an IP Host is the user's own navigation).
bool origin_allowed(std::string_view origin, std::string_view host_header,
                    const std::vector<std::string>& allowed);

}  // namespace apflow::plugins::explorer
