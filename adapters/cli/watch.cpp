#include "adapters/cli/watch.h"

#include <map>
#include <ostream>
#include <stdexcept>

#include "adapters/cli/render.h"

namespace benefitd::cli {

namespace {

bool is_terminal(const std::string& status) { return status == "expired" || status == "cancelled"; }

/// The view member that says when the benefit entered `status`.
std::string since(const nlohmann::json& benefit, const std::string& status) {
  static const std::map<std::string, std::string> kEnteredAt = {
      {"purchased", "purchasedAt"}, {"activation-requested", "activationRequestedAt"},
      {"pending", "pendingSince"},  {"active", "activatedAt"},
      {"expired", "expiredAt"},     {"cancelled", "cancelledAt"}};
  const auto member = kEnteredAt.find(status);
  if (member == kEnteredAt.end() || !benefit.contains(member->second) || !benefit[member->second].is_string())
    return "-";
  return benefit[member->second].get<std::string>();
}

}  // namespace

int watch_benefit(HttpClient& client, const std::vector<std::pair<std::string, std::string>>& headers,
                  const WatchRequest& request, bool json, std::ostream& out, std::ostream& err) {
  const std::string target = "/v1/benefits/" + url_encode(request.benefit_id);
  std::string etag, shown;
  for (;;) {
    ClientRequest poll{"GET", target, "", headers};
    if (!etag.empty()) {
      poll.headers.emplace_back("If-None-Match", etag);
      poll.headers.emplace_back("Prefer", "wait=" + std::to_string(request.wait_seconds));
    }
    const ClientResponse response = client.send(poll);
    if (response.status == 304) continue;  // nothing changed during the wait: ask again
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (response.status != 200) {
      if (json)
        err << response.body << "\n";
      else
        render_problem(response.status, body, err);
      return 1;
    }
    const auto tag = response.header("ETag");
    if (!tag || body.is_discarded()) throw std::runtime_error("the server's benefit answer has no ETag or is not JSON");
    etag = *tag;
    const std::string status = body.value("status", std::string());
    if (status != shown) {
      if (json)
        out << body.dump() << std::endl;
      else
        out << since(body, status) << "  " << status << std::endl;
      shown = status;
    }
    if (!request.until.empty() && status == request.until) return 0;
    if (is_terminal(status)) return request.until.empty() ? 0 : 1;
  }
}

}  // namespace benefitd::cli
