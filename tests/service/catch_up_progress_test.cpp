// benefitd's catch-up of the views when it opens, as /metrics shows it: after a layout upgrade
// (which rebuilds every view) the events done of the total, and nothing on a usual start.
#include <catch2/catch.hpp>

#include <regex>

#include "service_fixture.h"

namespace benefitd::testing {
namespace {

/// The value of the gauge `name` in the Prometheus text `metrics`.
std::uint64_t gauge(const std::string& metrics, const std::string& name) {
  std::smatch found;
  REQUIRE(std::regex_search(metrics, found, std::regex("\n" + name + " ([0-9]+)\n")));
  return std::stoull(found[1]);
}

TEST_CASE("R-ENG-5 the rebuild of the views after a layout upgrade shows in /metrics as events done of the total",
          "[service][metrics]") {
  ServiceFixture fixture;
  fixture.register_partner();
  fixture.register_partner("Fabrikam");
  const std::uint64_t events = gauge(fixture.service->metrics_text(), "benefitd_events_appended_total");
  REQUIRE(events > 0);

  fixture.reopen();  // the views were written with every command: nothing to catch up
  CHECK(gauge(fixture.service->metrics_text(), "benefitd_views_catch_up_events_total") == 0);
  CHECK(gauge(fixture.service->metrics_text(), "benefitd_views_catch_up_events_done") == 0);

  fixture.service.reset();
  {
    std::unique_ptr<store::RocksDbEventStore> store;
    REQUIRE(store::RocksDbEventStore::open({fixture.dir.path() / "store"}, &store).is_ok());
    store::WriteRequest upgrade;  // views written by an older build, under another layout
    upgrade.writes.push_back(store::KeyedWrite::put(store::Table::checkpoints, "projections-layout", "older"));
    REQUIRE(store->append(std::move(upgrade)).status.is_ok());
  }
  fixture.open();
  const std::string metrics = fixture.service->metrics_text();
  CHECK(gauge(metrics, "benefitd_views_catch_up_events_total") == events);
  CHECK(gauge(metrics, "benefitd_views_catch_up_events_done") == events);
}

}  // namespace
}  // namespace benefitd::testing
