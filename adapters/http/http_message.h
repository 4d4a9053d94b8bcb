#pragma once
// HttpRequest / HttpResponse: the plain HTTP messages the router works on. They keep Beast out
// of the router so that it can be tested without sockets; the session converts to and from
// Beast's messages.
// Thread safety: plain values.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/app/client_link.h"

namespace benefitd::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST"...
  std::string target;  // path and query, as sent: "/v1/benefits/B1?asOf=..."
  HeaderList headers;
  std::string body;
  /// The connection the request came on, when there is one: long reads watch it (ClientLink).
  std::shared_ptr<app::ClientLink> client;
  /// The client's IP address ("127.0.0.1"), empty when unknown: failed authentications are
  /// counted per address (auth_throttle.h).
  std::string peer;

  /// The first header of that name (case-insensitive), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  HeaderList headers;
  std::string body;
  /// The route template that answered ("POST /v1/benefits/{benefitId}/activate"), or
  /// "unmatched": the label of the request in metrics and logs.
  std::string route = "unmatched";
  /// Close the connection after this response (the request could not be read safely).
  bool close_connection = false;

  std::optional<std::string_view> header(std::string_view name) const;
  /// Replaces any header of that name.
  void set_header(std::string_view name, std::string value);
};

/// Case-insensitive ASCII comparison, as HTTP header names need.
bool iequals(std::string_view a, std::string_view b);

}  // namespace benefitd::http
