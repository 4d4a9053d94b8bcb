#include "adapters/app/views_projection.h"

#include "adapters/app/event_envelope.h"
#include "adapters/app/view_keys.h"
#include "workflows/views.h"

namespace benefitd::app {

namespace {

constexpr std::string_view kPartnerPrefix = "partner-";
constexpr std::string_view kPackagePrefix = "package-";
constexpr std::string_view kBenefitPrefix = "benefit-";

// The stream before `event` (from the projection's cache, else the command path's, else the
// store) and after it.
template <class Aggregate>
store::Status load_around(engine::AggregateRepository<Aggregate>& own,
                          const engine::AggregateRepository<Aggregate>& commands,
                          const store::RecordedEvent& event, const workflows::DomainEvent& domain,
                          typename engine::AggregateRepository<Aggregate>::Loaded* before,
                          typename engine::AggregateRepository<Aggregate>::Loaded* after) {
  if (auto cached = own.cached_at(event.stream, event.version - 1)) {
    *before = std::move(*cached);
  } else if (auto loaded = commands.cached_at(event.stream, event.version - 1)) {
    *before = std::move(*loaded);
  } else if (store::Status status = own.load(event.stream, before, event.version - 1); !status.is_ok()) {
    return status;
  }
  return own.advance(*before, event, [&](Aggregate& state) { state.apply(domain); }, after);
}

// A new fulfilment request: its queue row, written whole, and its entry among the open ones.
void open_request(engine::ViewWriter& views, const std::string& request_id, const nlohmann::json& row) {
  views.put(view_keys::fulfilment(request_id), row.dump());
  views.put(view_keys::open_fulfilment(request_id), "");
}

// Reads a fulfilment queue row (or an empty object), lets `change` edit it, writes it back.
store::Status update_request(engine::ViewWriter& views, const std::string& request_id,
                             const std::function<void(nlohmann::json&)>& change) {
  std::optional<std::string> stored;
  if (store::Status status = views.get(view_keys::fulfilment(request_id), &stored); !status.is_ok()) {
    return status;
  }
  nlohmann::json row = stored ? nlohmann::json::parse(*stored, nullptr, false) : nlohmann::json::object();
  if (row.is_discarded()) return store::Status::corruption("fulfilment row " + request_id + " is not JSON");
  change(row);
  if (row.value("status", "") != "open") views.erase(view_keys::open_fulfilment(request_id));
  views.put(view_keys::fulfilment(request_id), row.dump());
  return store::Status::ok();
}

nlohmann::json optional_time(const std::optional<workflows::Time>& time) {
  return time ? nlohmann::json(workflows::formatTime(*time)) : nlohmann::json(nullptr);
}

}  // namespace

store::Status ViewsProjection::apply(const store::RecordedEvent& event, engine::ViewWriter& views) {
  try {
    const bool partner = event.stream.starts_with(kPartnerPrefix);
    const bool package = event.stream.starts_with(kPackagePrefix);
    const bool benefit = event.stream.starts_with(kBenefitPrefix);
    if (!partner && !package && !benefit) return store::Status::ok();  // streams of no view
    const workflows::DomainEvent domain = to_domain(event);
    if (partner) return apply_partner(event, domain, views);
    if (package) return apply_package(event, domain, views);
    return apply_benefit(event, domain, views);
  } catch (const std::exception& error) {
    return store::Status::corruption("event " + std::to_string(event.position) +
                                     " cannot be projected: " + error.what());
  }
}

store::Status ViewsProjection::apply_partner(const store::RecordedEvent& event,
                                             const workflows::DomainEvent& domain,
                                             engine::ViewWriter& views) {
  engine::AggregateRepository<workflows::Partner>::Loaded before, after;
  if (store::Status status = load_around(aggregates_->partners(), commands_.partners(), event, domain, &before, &after);
      !status.is_ok()) {
    return status;
  }
  const workflows::PartnerView& partner = after.state->view();
  views.put_rendered(view_keys::partner(partner.partnerId),
                     [state = after.state] { return workflows::toJsonText(state->view()); });
  for (std::size_t i = 0; i < partner.users.size(); ++i) {
    views.put_rendered(view_keys::user(partner.partnerId, partner.users[i].userId),
                       [state = after.state, i] { return workflows::toJsonText(state->view().users[i]); });
  }
  if (const auto* removed = std::get_if<workflows::UserRemoved>(&domain)) {
    views.erase(view_keys::user(partner.partnerId, removed->userId));
  }
  views.put(view_keys::log_entry(partner.partnerId, event.position), "");
  return store::Status::ok();
}

store::Status ViewsProjection::apply_package(const store::RecordedEvent& event,
                                             const workflows::DomainEvent& domain,
                                             engine::ViewWriter& views) {
  engine::AggregateRepository<workflows::Package>::Loaded before, after;
  if (store::Status status = load_around(aggregates_->packages(), commands_.packages(), event, domain, &before, &after);
      !status.is_ok()) {
    return status;
  }
  const workflows::PackageView& package = after.state->view();
  views.put_rendered(view_keys::package(package.packageId),
                     [state = after.state] { return workflows::toJsonText(state->view()); });
  views.put(view_keys::log_entry(package.partnerId, event.position), "");
  if (event.version == 1) views.put(view_keys::packages_of(package.partnerId) + package.packageId, "");

  if (const auto* requested = std::get_if<workflows::CancellationRequested>(&domain)) {
    open_request(views, requested->requestId,
                 {{"requestId", requested->requestId},
                  {"packageId", package.packageId},
                  {"partnerId", package.partnerId},
                  {"kind", "cancellation"},
                  {"status", "open"},
                  {"requestedAt", workflows::formatTime(requested->requestedAt)},
                  {"expectedBy", workflows::formatTime(requested->expectedBy)}});
    return store::Status::ok();
  }
  if (const auto* cancelled = std::get_if<workflows::PackageCancelled>(&domain)) {
    return update_request(views, cancelled->requestId, [&](nlohmann::json& row) {
      row["status"] = "completed";
      row["completedAt"] = workflows::formatTime(cancelled->cancelledAt);
    });
  }
  return store::Status::ok();
}

store::Status ViewsProjection::apply_benefit(const store::RecordedEvent& event,
                                             const workflows::DomainEvent& domain,
                                             engine::ViewWriter& views) {
  engine::AggregateRepository<workflows::Benefit>::Loaded before, after;
  if (store::Status status = load_around(aggregates_->benefits(), commands_.benefits(), event, domain, &before, &after);
      !status.is_ok()) {
    return status;
  }
  const workflows::BenefitView& benefit = after.state->view();
  const std::string& partner = benefit.partnerId;
  views.put_rendered(view_keys::benefit(benefit.benefitId), [state = after.state] {
    return workflows::toJsonText(state->view(), workflows::KeyVisibility::shown);
  });
  views.put(view_keys::log_entry(partner, event.position), "");
  if (event.version == 1) views.put(view_keys::benefits_of(partner) + benefit.benefitId, "");

  // Expirations list only benefits that can still expire; most events leave the row as it is.
  const bool was_listed = before.version > 0 && !before.state->view().terminal();
  const bool listed = !benefit.terminal();
  const bool moved = was_listed && listed && before.state->view().expiresAt != benefit.expiresAt;
  if (was_listed && (!listed || moved)) {
    views.erase(view_keys::expiry(partner, before.state->view().expiresAt, benefit.benefitId));
  }
  if (listed && (!was_listed || moved)) {
    views.put(view_keys::expiry(partner, benefit.expiresAt, benefit.benefitId), "");
  }

  if (const auto* requested = std::get_if<workflows::ActivationRequested>(&domain)) {
    open_request(views, requested->requestId,
                 {{"requestId", requested->requestId},
                  {"benefitId", benefit.benefitId},
                  {"partnerId", partner},
                  {"kind", std::string(workflows::toString(benefit.category))},
                  {"status", "open"},
                  {"requestedAt", workflows::formatTime(requested->requestedAt)},
                  {"expectedBy", optional_time(benefit.expectedBy)}});
    return store::Status::ok();
  }
  if (const auto* accepted = std::get_if<workflows::FulfilmentAccepted>(&domain)) {
    return update_request(views, accepted->requestId, [&](nlohmann::json& row) {
      row["acceptedAt"] = workflows::formatTime(accepted->acceptedAt);
      row["expectedBy"] = workflows::formatTime(accepted->expectedBy);
    });
  }
  if (const auto* rejected = std::get_if<workflows::FulfilmentRejected>(&domain)) {
    return update_request(views, rejected->requestId, [&](nlohmann::json& row) {
      row["status"] = "rejected";
      row["reason"] = rejected->reason;
      row["completedAt"] = workflows::formatTime(rejected->rejectedAt);
    });
  }
  if (const auto* activated = std::get_if<workflows::BenefitActivated>(&domain);
      activated != nullptr && !activated->requestId.empty()) {
    return update_request(views, activated->requestId, [&](nlohmann::json& row) {
      row["status"] = "completed";
      row["completedAt"] = workflows::formatTime(activated->activatedAt);
    });
  }
  return store::Status::ok();
}

}  // namespace benefitd::app
