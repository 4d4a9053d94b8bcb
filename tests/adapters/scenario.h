#pragma once
// Steps of the socket tests' scenarios against a real benefitd: registering partners, adding
// users, buying packages, moving the simulated clock; and raw-socket exchanges for requests a
// well-behaved client would never send.
// Thread safety: one thread per Caller.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "server_process.h"
#include "support/temp_dir.h"

namespace benefitd::testing {

struct PartnerAccess {
  std::string partner_id, admin_user_id, admin_token;
};

inline PartnerAccess register_partner(Caller& op, const std::string& name) {
  const auto partner = op.post("/v1/partners",
                               {{"name", name},
                                {"accountEmail", "account@" + name + ".test"},
                                {"globalAdmin", {{"email", "admin@" + name + ".test"}, {"displayName", "Admin"}}}},
                               201);
  return {partner["partnerId"], partner["globalAdmin"]["userId"], partner["globalAdmin"]["token"]};
}

/// A real benefitd on a fresh data dir with one partner, "contoso": callers for the operator
/// and for the partner's global admin. Also a Catch2 fixture (TEST_CASE_METHOD).
struct OnePartner {
  TempDir dir;
  ServerProcess server{dir.path() / "data"};
  Caller op{server, kOperatorToken};
  PartnerAccess partner = register_partner(op, "contoso");
  Caller admin{server, partner.admin_token};

  /// Buys a package of `type` as the global admin; the purchase reply.
  nlohmann::json buy(const std::string& type) {
    return admin.post("/v1/partners/" + partner.partner_id + "/packages", {{"type", type}}, 201);
  }
};

struct UserAccess {
  std::string user_id, token;
};

inline UserAccess add_user(Caller& admin, const std::string& partner_id, const std::string& email,
                           const std::vector<std::string>& roles) {
  const auto user = admin.post("/v1/partners/" + partner_id + "/users",
                               {{"email", email}, {"displayName", email}, {"roles", roles}}, 201);
  return {user["userId"], user["token"]};
}

/// The first benefit of the package reply with that category (and kind, when given).
inline nlohmann::json benefit_of(const nlohmann::json& package, const std::string& category,
                                 const std::string& kind = "") {
  for (const auto& benefit : package["benefits"])
    if (benefit["category"] == category && (kind.empty() || benefit.value("kind", "") == kind)) return benefit;
  FAIL("the package has no " << category << " " << kind << " benefit");
  return {};
}

inline nlohmann::json advance_days(Caller& op, int days) {
  return op.post("/v1/clock/advance", {{"seconds", days * 24 * 3600}}, 200);
}

/// A socket connected to 127.0.0.1:`port`; the caller closes it.
inline int connect_loopback(const std::string& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(port)));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

/// Sends raw bytes on a fresh connection, ends the sending side and returns all the server
/// wrote until it closed (or 10 s passed).
inline std::string raw_exchange(const std::string& port, const std::string& bytes) {
  const int fd = connect_loopback(port);
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early (e.g. after a 413): read what it said
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string answer;
  char buffer[4096];
  ssize_t n;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  return answer;
}

/// The status codes of every response in a raw answer, in order.
inline std::vector<int> statuses_in(const std::string& answer) {
  std::vector<int> statuses;
  std::size_t at = 0;
  while ((at = answer.find("HTTP/1.1 ", at)) != std::string::npos) {
    statuses.push_back(std::stoi(answer.substr(at + 9, 3)));
    at += 12;
  }
  return statuses;
}

}  // namespace benefitd::testing
