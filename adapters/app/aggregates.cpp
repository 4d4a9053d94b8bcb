#include "adapters/app/aggregates.h"

#include <optional>
#include <type_traits>
#include <utility>

#include "adapters/app/event_envelope.h"
#include "adapters/app/view_keys.h"
#include "workflows/commands.h"
#include "workflows/snapshot_codec.h"

namespace benefitd::app {

namespace {

template <class Aggregate>
typename engine::AggregateRepository<Aggregate>::Apply applier() {
  return [](Aggregate& aggregate, const store::RecordedEvent& event) {
    aggregate.apply(to_domain(event));
  };
}

// Reads a stream's snapshot from the views (view_rows.h writes it with the stream's events).
template <class Aggregate>
typename engine::AggregateRepository<Aggregate>::ReadSnapshot snapshot_reader(const store::EventStore& store,
                                                                               Aggregates::Snapshots snapshots) {
  using Loaded = typename engine::AggregateRepository<Aggregate>::Loaded;
  if (snapshots == Aggregates::Snapshots::ignored) return {};
  return [&store](const std::string& stream, Loaded* out) {
    *out = Loaded{};
    std::optional<std::string> bytes;
    if (store::Status status = store.get(store::Table::views, view_keys::snapshot(stream), &bytes); !status.is_ok()) {
      return status;
    }
    std::decay_t<decltype(std::declval<Aggregate>().view())> view;
    if (!bytes || !workflows::decodeSnapshot(*bytes, &view)) return store::Status::ok();
    const store::Version version = view.version;
    if (std::optional<Aggregate> restored = Aggregate::restore(std::move(view))) {
      *out = Loaded{std::make_shared<const Aggregate>(std::move(*restored)), version};
    }
    return store::Status::ok();
  };
}

}  // namespace

Aggregates::Aggregates(const store::EventStore& store, std::size_t capacity, Snapshots snapshots)
    : partners_(store, applier<workflows::Partner>(), capacity, snapshot_reader<workflows::Partner>(store, snapshots)),
      packages_(store, applier<workflows::Package>(), capacity, snapshot_reader<workflows::Package>(store, snapshots)),
      benefits_(store, applier<workflows::Benefit>(), capacity, snapshot_reader<workflows::Benefit>(store, snapshots)) {}

template <class Aggregate>
const std::shared_ptr<const Aggregate>& DecisionSource::load(
    engine::AggregateRepository<Aggregate>& repository, const std::string& stream,
    std::map<std::string, std::shared_ptr<const Aggregate>>& loaded) const {
  auto found = loaded.find(stream);
  if (found == loaded.end()) {
    typename engine::AggregateRepository<Aggregate>::Loaded result;
    if (store::Status status = repository.load(stream, &result); !status.is_ok()) {
      throw LoadError(status.message());
    }
    found = loaded.emplace(stream, std::move(result.state)).first;
  }
  return found->second;
}

const workflows::Partner* DecisionSource::partner(const std::string& partnerId) const {
  return existing(load(aggregates_.partners(), workflows::partnerStream(partnerId), partners_));
}

const workflows::Package* DecisionSource::package(const std::string& packageId) const {
  return existing(load(aggregates_.packages(), workflows::packageStream(packageId), packages_));
}

const workflows::Benefit* DecisionSource::benefit(const std::string& benefitId) const {
  return existing(load(aggregates_.benefits(), workflows::benefitStream(benefitId), benefits_));
}

std::uint64_t DecisionSource::version_of(const std::string& stream) const {
  constexpr std::string_view kPartner = "partner-", kPackage = "package-", kBenefit = "benefit-";
  if (stream.starts_with(kPartner)) {
    const auto* found = partner(stream.substr(kPartner.size()));
    return found ? found->version() : 0;
  }
  if (stream.starts_with(kPackage)) {
    const auto* found = package(stream.substr(kPackage.size()));
    return found ? found->version() : 0;
  }
  if (stream.starts_with(kBenefit)) {
    const auto* found = benefit(stream.substr(kBenefit.size()));
    return found ? found->version() : 0;
  }
  return 0;
}

std::shared_ptr<const workflows::Partner> DecisionSource::partner_state(const std::string& stream) const {
  return load(aggregates_.partners(), stream, partners_);
}

std::shared_ptr<const workflows::Package> DecisionSource::package_state(const std::string& stream) const {
  return load(aggregates_.packages(), stream, packages_);
}

std::shared_ptr<const workflows::Benefit> DecisionSource::benefit_state(const std::string& stream) const {
  return load(aggregates_.benefits(), stream, benefits_);
}

}  // namespace benefitd::app
