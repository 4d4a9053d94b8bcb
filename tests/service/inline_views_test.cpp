// R-ENG-10: each command writes the views its events change in its own write, with the code a
// rebuild replays the log with. Random command histories of every category must leave views
// byte-identical to a rebuild of the same log.
// R-ENG-7: the aggregate snapshots among those views are a shortcut to a replay of the log, never
// a second truth: each equals the replay of its stream, and one that cannot be used is replayed.

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

#include "adapters/app/aggregates.h"
#include "adapters/app/view_keys.h"
#include "adapters/app/views_projection.h"
#include "engine/projection_runner.h"
#include "service_fixture.h"
#include "workflows/snapshot_codec.h"

using namespace benefitd;
using benefitd::testing::ServiceFixture;
using benefitd::testing::views_table;

namespace {

struct KnownPartner {
  std::string id;
  workflows::Actor admin;
  std::vector<std::string> users;  // ids of users added (some may be removed since)
};

struct KnownBenefit {
  std::string id;
  workflows::Actor owner;
  nlohmann::json offered;  // its catalog entry: the languages, OS types and support types
};

// The catalog's entry for a benefit view as granted in a package of `type`.
nlohmann::json catalog_entry(const nlohmann::json& catalog, const std::string& type, const nlohmann::json& benefit) {
  for (const auto& package : catalog.value("packages", nlohmann::json::array())) {
    if (package.value("type", "") != type) continue;
    for (const auto& offered : package.value("benefits", nlohmann::json::array())) {
      if (offered.value("category", "") == benefit.value("category", "") &&
          offered.value("product", "") == benefit.value("product", "")) {
        return offered;
      }
    }
  }
  return nlohmann::json::object();
}

// Drives a Service with random commands of every category; refusals are part of the history.
class RandomHistory {
 public:
  RandomHistory(ServiceFixture& fixture, unsigned seed)
      : fixture_(fixture), random_(seed), catalog_(fixture.body(fixture.service->catalog())) {}

  void run(int steps) {
    partner("Contoso");
    for (int step = 0; step < steps; ++step) one_step();
  }

  int accepted() const { return accepted_; }
  int keys_revealed() const { return keys_revealed_; }

 private:
  std::size_t pick(std::size_t size) { return std::uniform_int_distribution<std::size_t>(0, size - 1)(random_); }
  bool chance(int percent) { return std::uniform_int_distribution<int>(1, 100)(random_) <= percent; }
  template <class T>
  const T& any(const std::vector<T>& values) { return values[pick(values.size())]; }
  std::optional<std::string> any_of_list(const nlohmann::json& list) {
    if (!list.is_array() || list.empty()) return std::nullopt;
    return list[pick(list.size())].get<std::string>();
  }

  app::Outcome run(const workflows::Actor& actor, workflows::Command command) {
    app::Outcome outcome = fixture_.run(actor, std::move(command));
    if (std::holds_alternative<app::Reply>(outcome)) ++accepted_;
    return outcome;
  }

  void partner(const std::string& name) {
    const bool pmc = !partners_.empty() && chance(30);
    auto [id, admin] = fixture_.register_partner(
        name, pmc ? workflows::MembershipLocation::pmc : workflows::MembershipLocation::partnerCenter);
    partners_.push_back({id, admin, {admin.userId}});
  }

  void one_step() {
    const workflows::Actor operator_actor = workflows::Actor::operatorActor();
    KnownPartner& p = partners_[pick(partners_.size())];
    switch (pick(14)) {
      case 0:
        if (partners_.size() < 4) partner("Partner" + std::to_string(partners_.size()));
        else run(operator_actor, workflows::MigratePartner{p.id});
        break;
      case 1: {
        std::vector<workflows::Role> roles;
        if (chance(50)) roles.push_back(workflows::Role::userAdmin);
        if (chance(50)) roles.push_back(workflows::Role::adminAgent);
        if (chance(20)) roles.push_back(workflows::Role::globalAdmin);
        const auto added = run(p.admin, workflows::AddUser{p.id, "user" + std::to_string(step_id_++) + "@example.com",
                                                           "User", roles});
        if (const auto* reply = std::get_if<app::Reply>(&added)) p.users.push_back(reply->body["userId"]);
        break;
      }
      case 2:
        run(p.admin, workflows::ChangeUserRoles{p.id, any(p.users), {workflows::Role::adminAgent}});
        break;
      case 3:
        if (chance(40)) run(p.admin, workflows::RemoveUser{p.id, any(p.users), {}});
        else run(p.admin, workflows::RotateUserToken{p.id, any(p.users)});
        break;
      case 4:
        run(p.admin, workflows::AssignMarketingContact{p.id, any(p.users), "marketing" + std::to_string(step_id_++) + "@example.org",
                                                        "+48 22 000 00 00", chance(50) ? "pl-PL" : "en-US"});
        break;
      case 5: {
        static const std::vector<std::string> types = {"action-pack", "silver-competency", "gold-competency"};
        const std::string& type = any(types);
        const auto bought = run(p.admin, workflows::PurchasePackage{p.id, type});
        if (const auto* reply = std::get_if<app::Reply>(&bought)) {
          packages_.push_back({reply->body["packageId"], p.admin});
          for (const auto& benefit : reply->body["benefits"]) {
            benefits_.push_back({benefit["benefitId"], p.admin, catalog_entry(catalog_, type, benefit)});
          }
        }
        break;
      }
      case 6:
        if (!packages_.empty()) {
          const auto& [package, owner] = any(packages_);
          if (chance(50)) run(owner, workflows::RenewPackage{package});
          else run(owner, workflows::RequestCancellation{package, "no longer needed"});
        }
        break;
      case 7:
      case 8:
        if (!benefits_.empty()) activate(any(benefits_));
        break;
      case 9:
        if (!benefits_.empty()) {
          const KnownBenefit& b = any(benefits_);
          const auto revealed = run(b.owner, workflows::RevealKey{b.id, any_of_list(b.offered.value("languages", nlohmann::json::array())),
                                                                  any_of_list(b.offered.value("osTypes", nlohmann::json::array()))});
          if (std::holds_alternative<app::Reply>(revealed)) ++keys_revealed_;
        }
        break;
      case 10:
        if (!benefits_.empty()) {
          const KnownBenefit& b = any(benefits_);
          const KnownPartner& owner = partner_of(b);
          run(b.owner, workflows::AssignSeat{b.id, any(owner.users)});
        }
        break;
      case 11:
        if (!benefits_.empty()) {
          const KnownBenefit& b = any(benefits_);
          run(b.owner, workflows::OpenSupportRequest{b.id, any_of_list(b.offered.value("supportTypes", nlohmann::json::array())).value_or("advisory"),
                                                     "Azure", "help", 2, std::nullopt, std::nullopt});
        }
        break;
      case 12:
        answer_fulfilment();
        break;
      default:
        fixture_.advance(std::chrono::hours(std::uniform_int_distribution<int>(1, 24 * 40)(random_)));
    }
  }

  void activate(const KnownBenefit& b) {
    const KnownPartner& owner = partner_of(b);
    const auto activated = run(b.owner, workflows::ActivateBenefit{b.id, any_of_list(b.offered.value("languages", nlohmann::json::array())),
                                                                   any_of_list(b.offered.value("osTypes", nlohmann::json::array())),
                                                                   chance(50) ? std::optional(any(owner.users)) : std::nullopt});
    if (const auto* reply = std::get_if<app::Reply>(&activated); reply && reply->body.contains("requestId")) {
      requests_.push_back({b.id, reply->body["requestId"]});
    }
  }

  void answer_fulfilment() {
    if (requests_.empty()) return;
    const auto& [benefit, request] = any(requests_);
    const workflows::Actor operator_actor = workflows::Actor::operatorActor();
    switch (pick(3)) {
      case 0:
        run(operator_actor, workflows::AcceptFulfilment{benefit, request, std::nullopt});
        break;
      case 1:
        run(operator_actor, workflows::CompleteFulfilment{benefit, request, std::string("ACC-1"), std::string("CON-1")});
        break;
      default:
        run(operator_actor, workflows::RejectFulfilment{benefit, request, "no capacity"});
    }
  }

  const KnownPartner& partner_of(const KnownBenefit& b) const {
    for (const KnownPartner& p : partners_) {
      if (p.admin.partnerId == b.owner.partnerId) return p;
    }
    return partners_.front();
  }

  ServiceFixture& fixture_;
  std::mt19937 random_;
  const nlohmann::json catalog_;
  int accepted_ = 0;
  int keys_revealed_ = 0;
  int step_id_ = 0;
  std::vector<KnownPartner> partners_;
  std::vector<std::pair<std::string, workflows::Actor>> packages_;
  std::vector<KnownBenefit> benefits_;
  std::vector<std::pair<std::string, std::string>> requests_;  // benefit, request
};

}  // namespace

TEST_CASE("R-ENG-10 views written with every command equal a rebuild of the log, over random histories",
          "[service][projections]") {
  const auto [seed, mode] = GENERATE(table<unsigned, app::FulfilmentMode>({
      {20261126U, app::FulfilmentMode::simulated},
      {7U, app::FulfilmentMode::external},
      {4242U, app::FulfilmentMode::simulated},
  }));
  INFO("seed " << seed);
  ServiceFixture fixture(mode);
  RandomHistory history(fixture, seed);
  history.run(300);
  CHECK(history.accepted() > 100);
  CHECK(history.keys_revealed() > 0);
  fixture.service.reset();

  const auto live = views_table(fixture.dir.path());
  const auto same_as_live = [&live](const std::vector<store::KeyValue>& rebuilt) {
    REQUIRE(rebuilt.size() == live.size());
    for (std::size_t i = 0; i < live.size(); ++i) {
      INFO(live[i].key);
      CHECK(rebuilt[i].key == live[i].key);
      CHECK(rebuilt[i].value == live[i].value);
    }
  };
  fixture.open(/*offline=*/true);
  REQUIRE(fixture.service->rebuild_projections({}).is_ok());
  fixture.service.reset();
  same_as_live(views_table(fixture.dir.path()));

  // Again with runs of 64 KiB, so that the rebuilt views are ingested as several table files
  // whose keys overlap.
  {
    store::RocksDbOptions options;
    options.path = fixture.dir.path() / "store";
    options.replacement_run_bytes = 64 << 10;
    std::unique_ptr<store::RocksDbEventStore> store;
    REQUIRE(store::RocksDbEventStore::open(options, &store).is_ok());
    std::vector<std::unique_ptr<engine::Projection>> projections;
    projections.push_back(std::make_unique<app::ViewsProjection>(*store));
    engine::ProjectionRunner runner(*store, std::move(projections));
    REQUIRE(runner.open().is_ok());
    REQUIRE(runner.rebuild().is_ok());
  }
  same_as_live(views_table(fixture.dir.path()));
}

namespace {

// The streams of the log in `dir`, by kind: "partner", "package", "benefit".
std::map<std::string, std::set<std::string>> streams_by_kind(store::EventStore& store) {
  std::map<std::string, std::set<std::string>> streams;
  for (store::Position from = 1;;) {
    std::vector<store::RecordedEvent> events;
    REQUIRE(store.read_all(from, 10'000, &events).is_ok());
    if (events.empty()) return streams;
    for (const store::RecordedEvent& event : events) {
      streams[event.stream.substr(0, event.stream.find('-'))].insert(event.stream);
    }
    from = events.back().position + 1;
  }
}

// Loads every stream of `streams` from its stored snapshot (which must be there and restore)
// and by replay, and compares the two.
template <class Aggregate>
void check_snapshots_equal_replays(store::EventStore& store, const std::set<std::string>& streams,
                                   engine::AggregateRepository<Aggregate>& replayed) {
  for (const std::string& stream : streams) {
    INFO(stream);
    std::optional<std::string> bytes;
    REQUIRE(store.get(store::Table::views, app::view_keys::snapshot(stream), &bytes).is_ok());
    REQUIRE(bytes);
    std::decay_t<decltype(std::declval<Aggregate>().view())> view;
    REQUIRE(workflows::decodeSnapshot(*bytes, &view));
    std::optional<Aggregate> restored = Aggregate::restore(view);
    REQUIRE(restored);
    typename engine::AggregateRepository<Aggregate>::Loaded replay;
    REQUIRE(replayed.load(stream, &replay).is_ok());
    CHECK(restored->view() == replay.state->view());
    CHECK(restored->version() == replay.version);
  }
}

}  // namespace

TEST_CASE("R-ENG-7 an aggregate's snapshot equals the replay of its stream, over random histories",
          "[service][snapshots]") {
  const unsigned seed = GENERATE(20261126U, 99U);
  INFO("seed " << seed);
  ServiceFixture fixture;
  RandomHistory history(fixture, seed);
  history.run(300);
  fixture.service.reset();

  std::unique_ptr<store::RocksDbEventStore> store;
  REQUIRE(store::RocksDbEventStore::open({fixture.dir.path() / "store"}, &store).is_ok());
  const auto streams = streams_by_kind(*store);
  REQUIRE(streams.size() == 3);
  app::Aggregates replayed(*store, engine::kDefaultAggregateCacheCapacity, app::Aggregates::Snapshots::ignored);
  check_snapshots_equal_replays(*store, streams.at("partner"), replayed.partners());
  check_snapshots_equal_replays(*store, streams.at("package"), replayed.packages());
  check_snapshots_equal_replays(*store, streams.at("benefit"), replayed.benefits());
}

TEST_CASE("R-ENG-7 an aggregate loads from its snapshot, and by replay when the snapshot is of another layout",
          "[service][snapshots]") {
  ServiceFixture fixture;
  const auto [partner, admin] = fixture.register_partner();
  const nlohmann::json package = fixture.ok(admin, workflows::PurchasePackage{partner, "gold-competency"}).body;
  const std::string stream = workflows::benefitStream(ServiceFixture::benefit_of(package, "software"));
  fixture.service.reset();

  std::unique_ptr<store::RocksDbEventStore> store;
  REQUIRE(store::RocksDbEventStore::open({fixture.dir.path() / "store"}, &store).is_ok());
  std::optional<std::string> bytes;
  REQUIRE(store->get(store::Table::views, app::view_keys::snapshot(stream), &bytes).is_ok());
  REQUIRE(bytes);
  workflows::BenefitView view;
  REQUIRE(workflows::decodeSnapshot(*bytes, &view));
  const std::string product = view.product;
  // A snapshot that differs from the log where no replay would: only a load from it shows this.
  view.product = "read from the snapshot";
  const auto put_snapshot = [&](std::string snapshot) {
    store::WriteRequest write;
    write.writes.push_back(store::KeyedWrite::put(store::Table::views, app::view_keys::snapshot(stream), snapshot));
    REQUIRE(store->append(std::move(write)).status.is_ok());
  };
  const auto loaded_product = [&] {
    app::Aggregates aggregates(*store);
    engine::AggregateRepository<workflows::Benefit>::Loaded loaded;
    REQUIRE(aggregates.benefits().load(stream, &loaded).is_ok());
    return loaded.state->view().product;
  };

  put_snapshot(workflows::encodeSnapshot(view));
  CHECK(loaded_product() == "read from the snapshot");

  std::string other_layout = workflows::encodeSnapshot(view);
  other_layout[0] = static_cast<char>(workflows::kSnapshotLayout + 1);
  put_snapshot(other_layout);
  CHECK(loaded_product() == product);

  put_snapshot(workflows::encodeSnapshot(view).substr(0, 20));  // cut short
  CHECK(loaded_product() == product);
}
