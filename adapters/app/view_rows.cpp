#include "adapters/app/view_rows.h"

#include <functional>

#include <nlohmann/json.hpp>

#include "adapters/app/view_keys.h"
#include "workflows/commands.h"
#include "workflows/snapshot_codec.h"
#include "workflows/views.h"

namespace benefitd::app {

namespace {

// A new fulfilment request (a fresh id): its queue row, and its entry among the open ones. A
// software activation requests, accepts and completes in one command: its row stays a document
// until the write is taken, written as text once, and its open entry is never written.
void open_request(engine::ViewWriter& views, const std::string& request_id, nlohmann::json row) {
  views.put_document(view_keys::fulfilment(request_id), std::move(row));
  views.put_new(view_keys::open_fulfilment(request_id), "");
}

// Lets `change` edit a fulfilment queue row (or an empty object); a row no longer open leaves
// the open ones.
store::Status update_request(engine::ViewWriter& views, const std::string& request_id,
                             const std::function<void(nlohmann::json&)>& change) {
  bool open = false;
  if (store::Status status = views.edit_document(view_keys::fulfilment(request_id),
                                                 [&](nlohmann::json& row) {
                                                   change(row);
                                                   open = row.value("status", "") == "open";
                                                 });
      !status.is_ok()) {
    return status;
  }
  if (!open) views.erase(view_keys::open_fulfilment(request_id));
  return store::Status::ok();
}

// The aggregate's snapshot: rendered once per write, however many of its events the write has.
template <class Aggregate>
void put_snapshot(engine::ViewWriter& views, std::string_view stream, const std::shared_ptr<const Aggregate>& after) {
  views.put_rendered(view_keys::snapshot(stream), [state = after] { return workflows::encodeSnapshot(state->view()); });
}

nlohmann::json optional_time(const std::optional<workflows::Time>& time) {
  return time ? nlohmann::json(workflows::formatTime(*time)) : nlohmann::json(nullptr);
}

}  // namespace

store::Status write_views(const ProjectedEvent& event, const std::shared_ptr<const workflows::Partner>& /*before*/,
                          const std::shared_ptr<const workflows::Partner>& after, engine::ViewWriter& views) {
  const workflows::DomainEvent& domain = event.domain;
  const workflows::PartnerView& partner = after->view();
  views.put_rendered(view_keys::partner(partner.partnerId),
                     [state = after] { return workflows::toJsonText(state->view()); });
  for (std::size_t i = 0; i < partner.users.size(); ++i) {
    views.put_rendered(view_keys::user(partner.partnerId, partner.users[i].userId),
                       [state = after, i] { return workflows::toJsonText(state->view().users[i]); });
  }
  if (const auto* removed = std::get_if<workflows::UserRemoved>(&domain)) {
    views.erase(view_keys::user(partner.partnerId, removed->userId));
  }
  views.put_at(view_keys::log_of(partner.partnerId), event.place, "");
  put_snapshot(views, workflows::partnerStream(partner.partnerId), after);
  return store::Status::ok();
}

store::Status write_views(const ProjectedEvent& event, const std::shared_ptr<const workflows::Package>& /*before*/,
                          const std::shared_ptr<const workflows::Package>& after, engine::ViewWriter& views) {
  const workflows::DomainEvent& domain = event.domain;
  const workflows::PackageView& package = after->view();
  views.put_rendered(view_keys::package(package.packageId),
                     [state = after] { return workflows::toJsonText(state->view()); });
  views.put_at(view_keys::log_of(package.partnerId), event.place, "");
  put_snapshot(views, workflows::packageStream(package.packageId), after);
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

store::Status write_views(const ProjectedEvent& event, const std::shared_ptr<const workflows::Benefit>& before,
                          const std::shared_ptr<const workflows::Benefit>& after, engine::ViewWriter& views) {
  const workflows::DomainEvent& domain = event.domain;
  const workflows::BenefitView& benefit = after->view();
  const std::string& partner = benefit.partnerId;
  views.put_rendered(view_keys::benefit(benefit.benefitId), [state = after] {
    return workflows::toJsonText(state->view(), workflows::KeyVisibility::shown);
  });
  views.put_at(view_keys::log_of(partner), event.place, "");
  put_snapshot(views, workflows::benefitStream(benefit.benefitId), after);
  if (event.version == 1) views.put(view_keys::benefits_of(partner) + benefit.benefitId, "");

  // Expirations list only benefits that can still expire; most events leave the row as it is.
  const bool was_listed = before->version() > 0 && !before->view().terminal();
  const bool listed = !benefit.terminal();
  const bool moved = was_listed && listed && before->view().expiresAt != benefit.expiresAt;
  if (was_listed && (!listed || moved)) {
    views.erase(view_keys::expiry(partner, before->view().expiresAt, benefit.benefitId));
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
