#include "adapters/app/views_projection.h"

#include "adapters/app/event_envelope.h"
#include "adapters/app/view_rows.h"

namespace benefitd::app {

namespace {

constexpr std::string_view kPartnerPrefix = "partner-";
constexpr std::string_view kPackagePrefix = "package-";
constexpr std::string_view kBenefitPrefix = "benefit-";

// The stream before `event` (from the cache, else the store) and after it, then its views.
template <class Aggregate>
store::Status project(engine::AggregateRepository<Aggregate>& aggregates, const store::RecordedEvent& event,
                      const workflows::DomainEvent& domain, engine::ViewWriter& views) {
  typename engine::AggregateRepository<Aggregate>::Loaded before, after;
  if (auto cached = aggregates.cached_at(event.stream, event.version - 1)) {
    before = std::move(*cached);
  } else if (store::Status status = aggregates.load(event.stream, &before, event.version - 1); !status.is_ok()) {
    return status;
  }
  if (store::Status status = aggregates.advance(before, event, [&](Aggregate& state) { state.apply(domain); }, &after);
      !status.is_ok()) {
    return status;
  }
  return write_views(ProjectedEvent{domain, event.version, {event.position, 0}}, before.state, after.state, views);
}

}  // namespace

store::Status ViewsProjection::apply(const store::RecordedEvent& event, engine::ViewWriter& views) {
  try {
    const bool partner = event.stream.starts_with(kPartnerPrefix);
    const bool package = event.stream.starts_with(kPackagePrefix);
    const bool benefit = event.stream.starts_with(kBenefitPrefix);
    if (!partner && !package && !benefit) return store::Status::ok();  // streams of no view
    const workflows::DomainEvent domain = to_domain(event);
    if (partner) return project(aggregates_->partners(), event, domain, views);
    if (package) return project(aggregates_->packages(), event, domain, views);
    return project(aggregates_->benefits(), event, domain, views);
  } catch (const std::exception& error) {
    return store::Status::corruption("event " + std::to_string(event.position) +
                                     " cannot be projected: " + error.what());
  }
}

}  // namespace benefitd::app
