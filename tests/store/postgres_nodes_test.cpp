// Two benefitd processes (nodes) on one PostgreSQL store, over sockets: any node takes any
// request; of two nodes racing on one benefit exactly one wins; the log stays gap-free and
// verifiable; a client answered by one node reads its write on the other, and a long-poll on
// one is answered by a command on the other, which wakes no long-poll of other views
// (R-ENG-1, R-ENG-2, R-ENG-10). Timers, fired by the
// node that holds the lease, are fired by the other once the holder is killed, each once
// (R-LIFE-6).

#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "adapters/scenario.h"
#include "store/chain_verifier.h"
#include "store/postgres/postgres_event_store.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace benefitd::testing {
namespace {

using namespace std::chrono_literals;

// A short retry period: a node takes over from a dead holder within it.
const std::vector<std::string> kNodeFlags = {"--store", PostgresServer::shared().uri(), "--lease-retry-ms", "200"};

/// Every event of the store's log, read directly from PostgreSQL.
std::vector<store::RecordedEvent> whole_log() {
  store::PostgresOptions options;
  options.conninfo = PostgresServer::shared().conninfo();
  options.hear_other_writers = false;
  std::unique_ptr<store::PostgresEventStore> log;
  REQUIRE(store::PostgresEventStore::open(options, &log).is_ok());
  CHECK(store::verify_chain(*log).ok);
  std::vector<store::RecordedEvent> events;
  REQUIRE(log->read_all(1, 1'000'000, &events).is_ok());
  return events;
}

/// How many events of each type the stream `stream_id` holds, as `node` serves them.
std::map<std::string, int> event_types(Caller& caller, const std::string& stream_id) {
  std::map<std::string, int> types;
  const auto events = caller.get("/v1/streams/" + stream_id + "/events?limit=500");
  for (const auto& event : events["items"]) {
    ++types[event["type"].get<std::string>()];
  }
  return types;
}

/// The value of an unlabelled metric on GET /metrics.
std::uint64_t metric(const ServerProcess& server, const std::string& name) {
  const auto metrics = server.client().send({"GET", "/metrics", "", {}});
  REQUIRE(metrics.status == 200);
  const auto at = metrics.body.find("\n" + name + " ");
  REQUIRE(at != std::string::npos);
  return std::stoull(metrics.body.substr(at + name.size() + 2));
}

/// Waits (up to a generous bound, a test timeout and not a measurement) until `done()`.
template <class Done>
bool eventually(Done done) {
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

TEST_CASE("R-ENG-1 R-ENG-2 R-ENG-10 two nodes on one PostgreSQL: one winner per race, no gap, reads and "
          "long-polls on one node see the other's writes",
          "[store][postgres][http][nodes]") {
  TempDir dir;
  ServerProcess a(dir.path() / "a", kNodeFlags);
  ServerProcess b(dir.path() / "b", kNodeFlags);
  Caller op_a(a, kOperatorToken);
  const PartnerAccess partner = register_partner(op_a, "contoso");
  // Read-your-writes across nodes, without minPosition: what A answered, B shows at once.
  PlainCaller plain_b(b, partner.admin_token);
  const auto partner_on_b = plain_b.send("GET", "/v1/partners/" + partner.partner_id);
  REQUIRE(partner_on_b.status == 200);
  CHECK(nlohmann::json::parse(partner_on_b.body)["name"] == "contoso");

  Caller admin_a(a, partner.admin_token);
  Caller admin_b(b, partner.admin_token);
  PlainCaller plain_a(a, partner.admin_token);
  constexpr int kPackages = 6;
  std::vector<std::string> benefits;
  for (int i = 0; i < kPackages; ++i) {
    Caller& buyer = i % 2 == 0 ? admin_a : admin_b;
    PlainCaller& other = i % 2 == 0 ? plain_b : plain_a;
    const auto package = buyer.post("/v1/partners/" + partner.partner_id + "/packages", {{"type", "action-pack"}}, 201);
    benefits.push_back(benefit_of(package, "cloud", "usage-based")["benefitId"]);
    CHECK(other.send("GET", "/v1/packages/" + package["packageId"].get<std::string>()).status == 200);
  }

  // Long-polls on B of two benefits: A's activation of one answers its poll (B hears of A's
  // commit, and of the view keys it wrote, through PostgreSQL) and leaves the other's waiting
  // without reading it again.
  const auto long_poll = [&b, &partner, &plain_b](const std::string& path) {
    const auto first = plain_b.send("GET", path);
    REQUIRE(first.header("ETag"));
    return std::async(std::launch::async, [&b, &partner, path, etag = *first.header("ETag")] {
      Caller poller(b, partner.admin_token);
      return poller.send("GET", path, "", {{"If-None-Match", etag}, {"Prefer", "wait=60"}});
    });
  };
  const std::string polled_id =
      benefit_of(admin_a.post("/v1/partners/" + partner.partner_id + "/packages", {{"type", "action-pack"}}, 201),
                 "cloud", "usage-based")["benefitId"];
  const std::string polled = "/v1/benefits/" + polled_id;
  auto poll = long_poll(polled);
  auto unrelated_poll = long_poll("/v1/benefits/" + benefits[0]);
  CHECK(eventually([&] { return metric(b, "benefitd_long_polls_waiting") == 2; }));
  const std::uint64_t reruns_before = metric(b, "benefitd_long_poll_reruns_total");
  admin_a.post(polled + "/activate", nlohmann::json::object(), 200);
  const auto woken = poll.get();
  REQUIRE(woken.status == 200);
  CHECK(nlohmann::json::parse(woken.body)["status"] == "active");
  CHECK(metric(b, "benefitd_long_polls_waiting") == 1);
  CHECK(metric(b, "benefitd_long_poll_reruns_total") - reruns_before == 1);

  // Both nodes activate every benefit at once: per benefit, one 200 and one refusal, never two.
  std::vector<int> statuses_a(kPackages), statuses_b(kPackages);
  {
    auto race = [&](const ServerProcess& node, std::vector<int>* statuses) {
      PlainCaller caller(node, partner.admin_token);
      for (int i = 0; i < kPackages; ++i) {
        (*statuses)[i] = caller.send("POST", "/v1/benefits/" + benefits[i] + "/activate", "{}").status;
      }
    };
    std::thread on_a(race, std::cref(a), &statuses_a);
    std::thread on_b(race, std::cref(b), &statuses_b);
    on_a.join();
    on_b.join();
  }
  // The first benefit's activation, by either node, answers the poll that waited for it.
  const auto unrelated_woken = unrelated_poll.get();
  REQUIRE(unrelated_woken.status == 200);
  CHECK(nlohmann::json::parse(unrelated_woken.body)["status"] == "active");
  for (int i = 0; i < kPackages; ++i) {
    INFO("benefit " << benefits[i] << ": A answered " << statuses_a[i] << ", B answered " << statuses_b[i]);
    CHECK(((statuses_a[i] == 200) != (statuses_b[i] == 200)));
    CHECK((statuses_a[i] == 200 || statuses_a[i] == 409));
    CHECK((statuses_b[i] == 200 || statuses_b[i] == 409));
    // Whichever node answered, both show the one activation.
    const auto types = event_types(admin_a, "benefit-" + benefits[i]);
    CHECK(types.count("BenefitActivated") == 1);
    CHECK(types.at("BenefitActivated") == 1);
    for (ServerProcess* node : {&a, &b}) {
      PlainCaller plain(*node, partner.admin_token);
      const auto benefit = plain.send("GET", "/v1/benefits/" + benefits[i]);
      REQUIRE(benefit.status == 200);
      CHECK(nlohmann::json::parse(benefit.body)["status"] == "active");
    }
  }

  CHECK(a.stop() == 0);
  CHECK(b.stop() == 0);
  // Positions 1..n with no gap, although two processes appended at once.
  const auto log = whole_log();
  for (std::size_t i = 0; i < log.size(); ++i) CHECK(log[i].position == i + 1);
}

TEST_CASE("R-LIFE-6 kill -9 of the node holding the lease: the other node takes it over and fires every timer once",
          "[store][postgres][http][nodes]") {
  TempDir dir;
  ServerProcess a(dir.path() / "a", kNodeFlags);  // first: it takes the lease
  ServerProcess b(dir.path() / "b", kNodeFlags);
  Caller op_b(b, kOperatorToken);
  const PartnerAccess partner = register_partner(op_b, "contoso");
  Caller admin_b(b, partner.admin_token);

  // The holder is frozen: it keeps the lease (its connection lives) but fires nothing. B takes
  // the commands, and their fulfilment timers (due now) wait for the holder.
  a.send_signal(SIGSTOP);
  constexpr int kBenefits = 4;
  std::vector<std::string> benefits;
  for (int i = 0; i < kBenefits; ++i) {
    const auto package =
        admin_b.post("/v1/partners/" + partner.partner_id + "/packages", {{"type", "silver-competency"}}, 201);
    const std::string id = benefit_of(package, "technical")["benefitId"];
    admin_b.post("/v1/benefits/" + id + "/activate", nlohmann::json::object(), 202);
    benefits.push_back(id);
  }
  for (const std::string& id : benefits) CHECK(admin_b.get("/v1/benefits/" + id)["status"] == "activation-requested");

  // Killed, the holder's connection closes and its lease goes: B takes it and fires.
  a.send_signal(SIGKILL);
  CHECK(a.wait_exit() == -1);
  for (const std::string& id : benefits) {
    INFO("benefit " << id);
    CHECK(eventually([&] { return admin_b.get("/v1/benefits/" + id)["status"] == "pending"; }));
  }
  advance_days(op_b, 7);
  for (const std::string& id : benefits) {
    CHECK(admin_b.get("/v1/benefits/" + id)["status"] == "active");
    const auto types = event_types(admin_b, "benefit-" + id);
    CHECK(types.at("FulfilmentAccepted") == 1);
    CHECK(types.at("BenefitActivated") == 1);
  }
  CHECK(b.stop() == 0);
  const auto log = whole_log();
  for (std::size_t i = 0; i < log.size(); ++i) CHECK(log[i].position == i + 1);
}

}  // namespace
}  // namespace benefitd::testing
