// The HTTP message types the server core hands to front-ends (Boost.Beast, string bodies).
#pragma once

#include <boost/beast/http.hpp>

#include <string>
#include <string_view>

namespace apflow::plugins::protocols {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// A response with a body of the given content type (version and keep-alive are set when sent).
HttpResponse make_response(http::status status, std::string body,
                           std::string_view content_type = "application/json");
// {"error": message} with the status; what every front-end answers for HTTP-level refusals.
HttpResponse error_response(http::status status, std::string_view message);

// A header's value, or "" when absent (the first, when it is given more than once).
std::string_view header(const HttpRequest& request, std::string_view name);
// How many field lines carry the header `name`. A header that holds one value (a session id,
// a media type) given twice is ambiguous; a list header (Accept) may come in several lines,
// which together mean their values joined by commas (RFC 9110, 5.3).
size_t header_count(const HttpRequest& request, std::string_view name);
// Whether any line of the list header `name` contains `token`.
bool header_lists(const HttpRequest& request, std::string_view name, std::string_view token);
// The target's path without the query string.
std::string_view path_of(const HttpRequest& request);

}  // namespace apflow::plugins::protocols
