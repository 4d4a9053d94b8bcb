// BenefitService's queries: reads of the views (and, for as-of and audit, of the log).

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cctype>
#include <limits>
#include <ostream>

#include "adapters/app/benefit_service.h"
#include "adapters/app/event_envelope.h"
#include "adapters/app/replies.h"
#include "adapters/app/view_keys.h"
#include "store/chain_verifier.h"
#include "workflows/json_reader.h"
#include "workflows/views.h"

namespace benefitd::app {

namespace {

constexpr std::string_view kPartnerPrefix = "partner-";
constexpr std::string_view kPackagePrefix = "package-";
constexpr std::string_view kBenefitPrefix = "benefit-";
// The most fulfilment requests one listing answers.
constexpr std::size_t kMaxFulfilmentListing = 100'000;

// The index entries of the open fulfilment requests, up to `limit`.
store::Status scan_open_fulfilment(const store::EventStore& store, std::size_t limit,
                                   std::vector<store::KeyValue>* entries) {
  const std::string prefix = view_keys::open_fulfilment("");
  return store.scan(store::Table::views, prefix, view_keys::prefix_end(prefix), limit, entries);
}

Problem not_found(std::string_view what) {
  return {"not-found", std::string(what) + " does not exist.", nlohmann::json::object()};
}

Reply reply(nlohmann::json body, Position position, std::optional<std::uint64_t> version = std::nullopt) {
  Reply result;
  result.body = std::move(body);
  result.position = position;
  result.version = version;
  return result;
}

nlohmann::json list(nlohmann::json items, std::optional<std::string> next) {
  return {{"items", std::move(items)}, {"nextCursor", next ? nlohmann::json(*next) : nlohmann::json(nullptr)}};
}

std::optional<std::uint64_t> version_of(const nlohmann::json& view) {
  if (view.contains("version") && view["version"].is_number_unsigned()) return view["version"].get<std::uint64_t>();
  return std::nullopt;
}

// A view row's owner and version, read from its stored text without building a document.
struct StoredView {
  std::string partner_id;
  std::optional<std::uint64_t> version;
};

StoredView read_stored_view(const std::string& key, std::string_view text) {
  simdjson::dom::object parsed;
  if (workflows::parseJsonText(text).get_object().get(parsed) != simdjson::SUCCESS) {
    throw StoreUnavailable("the view " + key + " is malformed");
  }
  StoredView view;
  if (std::string_view owner; parsed["partnerId"].get_string().get(owner) == simdjson::SUCCESS) {
    view.partner_id = owner;
  }
  if (std::uint64_t version = 0; parsed["version"].get_uint64().get(version) == simdjson::SUCCESS) {
    view.version = version;
  }
  return view;
}

// A view answered as stored: views are written as the text their document dumps to (views.h),
// so the bytes are those of the document, with none built or dumped.
Reply stored_view_reply(std::string text, Position position, std::optional<std::uint64_t> version) {
  Reply served;
  served.body_text = std::move(text);
  served.position = position;
  served.version = version;
  return served;
}

// The ids after the last '/' of index rows.
std::string last_segment(const std::string& key) { return key.substr(key.rfind('/') + 1); }

// Ids as the server makes them (random_ids.h), and so the cursors of the lists ordered by id.
bool is_id(std::string_view text) {
  return !text.empty() && text.size() <= 128 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
}

// "<first part>/<id>", as the expirations' and the fulfilment queue's cursors are.
bool is_keyed_id(std::string_view cursor, const std::function<bool(std::string_view)>& first_part) {
  const std::size_t slash = cursor.find('/');
  return slash != std::string_view::npos && first_part(cursor.substr(0, slash)) && is_id(cursor.substr(slash + 1));
}

Problem bad_cursor() {
  return {"invalid-request", "the cursor is not one this list gave",
          {{"errors", {{{"field", "cursor"}, {"message", "must be a nextCursor of this list"}}}}}};
}

// Whether the stored benefit view `text` passes `filter`, read without building a document: a
// filtered list reads many benefits it does not answer.
bool passes(const std::string& key, std::string_view text, const BenefitFilter& filter) {
  simdjson::dom::object parsed;
  if (workflows::parseJsonText(text).get_object().get(parsed) != simdjson::SUCCESS) {
    throw StoreUnavailable("the view " + key + " is malformed");
  }
  const auto field_is = [&parsed](const char* field, const std::optional<std::string>& wanted) {
    std::string_view value;
    if (parsed[field].get_string().get(value) != simdjson::SUCCESS) value = "";
    return !wanted || value == *wanted;
  };
  return field_is("category", filter.category) && field_is("status", filter.status) &&
         field_is("packageId", filter.package_id);
}

nlohmann::json without_keys(nlohmann::json benefit) {
  benefit.erase("keys");
  return benefit;
}

}  // namespace

Outcome BenefitService::clock(const workflows::Actor&) const {
  return reply({{"now", workflows::formatTime(clock_->now())},
                {"mode", clock_->is_simulated() ? "simulated" : "system"}},
               views_position());
}

Outcome BenefitService::catalog() const { return reply(catalog_.document(), views_position()); }

Outcome BenefitService::partner(const workflows::Actor& actor, std::string_view partner_id) const {
  const Position position = views_position();
  auto found = view(view_keys::partner(partner_id));
  if (!found) return not_found("The partner");
  if (auto refused = workflows::authorize(actor, partner_id, workflows::Permission::view)) {
    return problem_of(*refused);
  }
  found->erase("users");
  const auto version = version_of(*found);
  return reply(std::move(*found), position, version);
}

std::optional<Problem> BenefitService::partner_visible(const workflows::Actor& actor,
                                                       std::string_view partner_id,
                                                       workflows::Permission permission) const {
  if (!view(view_keys::partner(partner_id))) return not_found("The partner");
  if (auto refused = workflows::authorize(actor, partner_id, permission)) return problem_of(*refused);
  return std::nullopt;
}

Outcome BenefitService::index_page(std::string_view prefix, const Page& page,
                                   const std::function<std::optional<nlohmann::json>(const store::KeyValue&)>& item) const {
  if (!page.cursor.empty() && !is_id(page.cursor)) return bad_cursor();
  const Position position = views_position();
  const std::string start(prefix);
  std::vector<store::KeyValue> rows;
  // One row past the page tells whether there is a next page.
  if (store::Status status = store_->scan(store::Table::views,
                                          page.cursor.empty() ? start : start + page.cursor + '\0',
                                          view_keys::prefix_end(start), page.limit + 1, &rows);
      !status.is_ok()) {
    return Problem{"unavailable", status.message(), nlohmann::json::object()};
  }
  nlohmann::json items = nlohmann::json::array();
  std::optional<std::string> next;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i == page.limit) {
      next = last_segment(rows[i - 1].key);
      break;
    }
    if (auto found = item(rows[i])) items.push_back(std::move(*found));
  }
  return reply(list(std::move(items), next), position);
}

Outcome BenefitService::users(const workflows::Actor& actor, std::string_view partner_id,
                              const Page& page) const {
  if (auto refused = partner_visible(actor, partner_id, workflows::Permission::view)) return *refused;
  return index_page(view_keys::users_of(partner_id), page, [](const store::KeyValue& row) {
    return std::optional(nlohmann::json::parse(row.value, nullptr, false));
  });
}

Outcome BenefitService::packages(const workflows::Actor& actor, std::string_view partner_id,
                                 const Page& page) const {
  if (auto refused = partner_visible(actor, partner_id, workflows::Permission::view)) return *refused;
  return index_page(view_keys::packages_of(partner_id), page, [this](const store::KeyValue& row) {
    return view(view_keys::package(last_segment(row.key)));
  });
}

Outcome BenefitService::package(const workflows::Actor& actor, std::string_view package_id) const {
  const Position position = views_position();
  const std::string key = view_keys::package(package_id);
  std::optional<std::string> found = view_text(key);
  if (!found) return not_found("The package");
  const auto [partner_id, version] = read_stored_view(key, *found);
  if (auto refused = workflows::authorize(actor, partner_id, workflows::Permission::view)) {
    return problem_of(*refused);
  }
  return stored_view_reply(std::move(*found), position, version);
}

Outcome BenefitService::benefits(const workflows::Actor& actor, std::string_view partner_id,
                                 const BenefitFilter& filter, const Page& page) const {
  if (!page.cursor.empty() && !is_id(page.cursor)) return bad_cursor();
  const Position position = views_position();
  if (auto refused = partner_visible(actor, partner_id, workflows::Permission::view)) return *refused;
  const bool keys = workflows::maySeeKeys(actor, partner_id);
  const std::string prefix = view_keys::benefits_of(partner_id);
  std::string from = page.cursor.empty() ? prefix : prefix + page.cursor + '\0';
  const std::string end = view_keys::prefix_end(prefix);
  nlohmann::json items = nlohmann::json::array();
  std::size_t examined = 0;
  // Filters apply after the index, so read the index in chunks until the page is full, or has
  // examined as many benefits as one page may.
  for (;;) {
    constexpr std::size_t kChunk = 500;
    std::vector<store::KeyValue> rows;
    // One row more than the chunk, only to know whether any follows it: a page that stops at
    // the bound on the partner's last benefit then answers no cursor, not one to an empty page.
    if (store::Status status = store_->scan(store::Table::views, from, end, kChunk + 1, &rows); !status.is_ok()) {
      return Problem{"unavailable", status.message(), nlohmann::json::object()};
    }
    const bool chunk_has_more = rows.size() > kChunk;
    if (chunk_has_more) rows.pop_back();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::string id = last_segment(rows[i].key);
      const std::string key = view_keys::benefit(id);
      if (const std::optional<std::string> text = view_text(key); text && passes(key, *text, filter)) {
        if (items.size() == page.limit) {
          const std::string next = items.back().value("benefitId", "");
          return reply(list(std::move(items), next), position);
        }
        nlohmann::json benefit = parse_view(key, *text);
        items.push_back(keys ? std::move(benefit) : without_keys(std::move(benefit)));
      }
      const bool more = i + 1 < rows.size() || chunk_has_more;
      if (++examined == kBenefitsExaminedPerPage && more) return reply(list(std::move(items), id), position);
    }
    if (!chunk_has_more) break;
    from = rows.back().key + '\0';
  }
  return reply(list(std::move(items), std::nullopt), position);
}

Outcome BenefitService::expirations(const workflows::Actor& actor, std::string_view partner_id,
                                    std::int64_t within_seconds, const Page& page) const {
  const auto is_padded_time = [](std::string_view text) {
    return text.size() == view_keys::padded(std::uint64_t{0}).size() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!page.cursor.empty() && !is_keyed_id(page.cursor, is_padded_time)) return bad_cursor();
  const Position position = views_position();
  if (auto refused = partner_visible(actor, partner_id, workflows::Permission::view)) return *refused;
  const bool keys = workflows::maySeeKeys(actor, partner_id);
  // Index keys are the prefix, the expiry and the benefit id: the cursor is what follows the prefix.
  const std::string prefix = view_keys::expiries_of(partner_id);
  const std::string end = prefix + view_keys::padded(clock_->now() + std::chrono::seconds(within_seconds) +
                                                     std::chrono::seconds(1));
  std::vector<store::KeyValue> rows;
  // One row past the page tells whether there is a next page.
  if (store::Status status = store_->scan(store::Table::views,
                                          page.cursor.empty() ? prefix : prefix + page.cursor + '\0', end,
                                          page.limit + 1, &rows);
      !status.is_ok()) {
    return Problem{"unavailable", status.message(), nlohmann::json::object()};
  }
  std::optional<std::string> next;
  if (rows.size() > page.limit) {
    rows.pop_back();
    next = rows.back().key.substr(prefix.size());
  }
  nlohmann::json items = nlohmann::json::array();
  for (const store::KeyValue& row : rows) {
    if (auto benefit = view(view_keys::benefit(last_segment(row.key)))) {
      items.push_back(keys ? std::move(*benefit) : without_keys(std::move(*benefit)));
    }
  }
  return reply(list(std::move(items), next), position);
}

Outcome BenefitService::benefit(const workflows::Actor& actor, std::string_view benefit_id,
                                std::optional<workflows::Time> as_of) const {
  const Position position = views_position();
  const std::string key = view_keys::benefit(benefit_id);
  std::optional<std::string> found = view_text(key);
  if (!found) return not_found("The benefit");
  const auto [partner_id, version] = read_stored_view(key, *found);
  if (auto refused = workflows::authorize(actor, partner_id, workflows::Permission::view)) {
    return problem_of(*refused);
  }
  const auto visibility = workflows::maySeeKeys(actor, partner_id) ? workflows::KeyVisibility::shown
                                                                   : workflows::KeyVisibility::hidden;
  if (as_of) {
    // R-ENG-7: the benefit as it was, from its events up to that time alone.
    std::vector<store::RecordedEvent> events;
    if (store::Status status = store_->read_stream(workflows::benefitStream(benefit_id), 1,
                                                   std::numeric_limits<std::size_t>::max(), &events);
        !status.is_ok()) {
      return Problem{"unavailable", status.message(), nlohmann::json::object()};
    }
    workflows::Benefit then;
    try {
      for (const store::RecordedEvent& event : events) {
        if (event.event.occurred_at > *as_of) break;
        then.apply(to_domain(event));
      }
    } catch (const std::exception& error) {
      return Problem{"unavailable", error.what(), nlohmann::json::object()};
    }
    if (!then.exists()) return not_found("The benefit at that time");
    return reply(workflows::toJson(then.view(), visibility), position, then.version());
  }
  if (visibility == workflows::KeyVisibility::hidden) {
    return reply(without_keys(parse_view(key, *found)), position, version);
  }
  return stored_view_reply(std::move(*found), position, version);
}

std::string BenefitService::owner_of(std::string_view stream) const {
  if (stream.starts_with(kPartnerPrefix)) {
    const std::string_view id = stream.substr(kPartnerPrefix.size());
    return view(view_keys::partner(id)) ? std::string(id) : "";
  }
  std::optional<nlohmann::json> found;
  if (stream.starts_with(kPackagePrefix)) found = view(view_keys::package(stream.substr(kPackagePrefix.size())));
  if (stream.starts_with(kBenefitPrefix)) found = view(view_keys::benefit(stream.substr(kBenefitPrefix.size())));
  return found ? found->value("partnerId", "") : "";
}

Outcome BenefitService::stream_events(const workflows::Actor& actor, std::string_view stream_id,
                                      std::uint64_t from_version, std::size_t limit) const {
  const Position position = views_position();
  const std::string owner = owner_of(stream_id);
  if (owner.empty()) return not_found("The stream");
  if (auto refused = workflows::authorize(actor, owner, workflows::Permission::audit)) {
    return problem_of(*refused);
  }
  std::vector<store::RecordedEvent> events;
  if (store::Status status = store_->read_stream(stream_id, std::max<std::uint64_t>(from_version, 1), limit, &events);
      !status.is_ok()) {
    return Problem{"unavailable", status.message(), nlohmann::json::object()};
  }
  const bool redact = !workflows::maySeeKeys(actor, owner);
  nlohmann::json items = nlohmann::json::array();
  for (const store::RecordedEvent& event : events) items.push_back(audit_object(event, redact));
  const std::optional<std::string> next =
      events.size() == limit && !events.empty() ? std::optional(std::to_string(events.back().version + 1)) : std::nullopt;
  return reply(list(std::move(items), next), position);
}

Outcome BenefitService::partner_audit(const workflows::Actor& actor, std::string_view partner_id,
                                      std::optional<workflows::Time> from, std::optional<workflows::Time> to,
                                      Position start, std::size_t limit) const {
  const Position position = views_position();
  if (auto refused = partner_visible(actor, partner_id, workflows::Permission::audit)) return *refused;
  const bool redact = !workflows::maySeeKeys(actor, partner_id);
  const std::string prefix = view_keys::log_of(partner_id);
  std::vector<store::KeyValue> rows;
  // One row past the page tells whether there is a next page.
  if (store::Status status = store_->scan(store::Table::views, view_keys::log_entry(partner_id, start),
                                          view_keys::prefix_end(prefix), limit + 1, &rows);
      !status.is_ok()) {
    return Problem{"unavailable", status.message(), nlohmann::json::object()};
  }
  std::optional<std::string> next;
  if (rows.size() > limit) {
    next = std::to_string(std::stoull(last_segment(rows.back().key)));
    rows.pop_back();
  }
  std::vector<Position> positions;
  positions.reserve(rows.size());
  for (const store::KeyValue& row : rows) positions.push_back(std::stoull(last_segment(row.key)));
  std::vector<store::RecordedEvent> events;
  if (store::Status status = store_->read_at(positions, &events); !status.is_ok()) {
    return Problem{"unavailable", "the partner's audit index cannot be read: " + status.message(),
                   nlohmann::json::object()};
  }
  nlohmann::json items = nlohmann::json::array();
  for (const store::RecordedEvent& event : events) {
    const auto at = std::chrono::floor<std::chrono::seconds>(event.event.occurred_at);
    if ((from && at < *from) || (to && at > *to)) continue;
    items.push_back(audit_object(event, redact));
  }
  return reply(list(std::move(items), next), position);
}

Outcome BenefitService::events(const workflows::Actor& actor, Position from_position,
                               std::size_t limit) const {
  if (auto refused = workflows::authorize(actor, "", workflows::Permission::operatorOnly)) {
    return problem_of(*refused);
  }
  std::vector<store::RecordedEvent> events;
  if (store::Status status = store_->read_all(std::max<Position>(from_position, 1), limit, &events);
      !status.is_ok()) {
    return Problem{"unavailable", status.message(), nlohmann::json::object()};
  }
  nlohmann::json items = nlohmann::json::array();
  for (const store::RecordedEvent& event : events) items.push_back(audit_object(event, false));
  const std::optional<std::string> next =
      events.size() == limit && !events.empty() ? std::optional(std::to_string(events.back().position + 1)) : std::nullopt;
  return reply(list(std::move(items), next), store_->last_position());
}

void BenefitService::verify(const workflows::Actor& actor, std::optional<std::string> partner_id, Done done,
                            PassReport progress) {
  boost::asio::post(audit_thread_, [this, actor, partner_id = std::move(partner_id), done = std::move(done),
                                    progress = std::move(progress)] {
    Outcome outcome;
    try {
      outcome = verify_chains(actor, partner_id, progress);
    } catch (const std::exception& failure) {  // StoreUnavailable, or anything else from below
      outcome = Problem{"unavailable", failure.what(), nlohmann::json::object()};
    }
    done(std::move(outcome));
  });
}

void BenefitService::run_long_read(LongRead read) { long_reads_.push(std::move(read)); }

Outcome BenefitService::verify_chains(const workflows::Actor& actor, const std::optional<std::string>& partner_id,
                                      const PassReport& progress) const {
  if (auto refused = workflows::authorize(actor, "", workflows::Permission::operatorOnly)) {
    return problem_of(*refused);
  }
  store::StreamFilter include;
  if (partner_id) {
    if (!view(view_keys::partner(*partner_id))) return not_found("The partner");
    include = [this, partner = *partner_id](std::string_view stream) { return owner_of(stream) == partner; };
  }
  const Position last = store_->last_position();
  const store::VerifyReport report = store::verify_chain(*store_, include, [&progress, last](std::uint64_t read) {
    if (progress) progress(read, last);
  });
  nlohmann::json body = {{"ok", report.ok}, {"eventsChecked", report.events_checked}};
  if (!report.ok) {
    body["firstBadPosition"] = report.first_bad_position;
    body["streamId"] = report.stream;
    body["problem"] = report.problem;
  }
  return reply(std::move(body), views_position());
}

store::Status BenefitService::open_fulfilment_requests(std::vector<store::KeyValue>* rows) const {
  std::vector<store::KeyValue> open;
  if (store::Status status = scan_open_fulfilment(*store_, kMaxFulfilmentListing, &open); !status.is_ok()) {
    return status;
  }
  const std::size_t prefix_size = view_keys::open_fulfilment("").size();
  for (const store::KeyValue& entry : open) {
    const std::string_view request_id = std::string_view(entry.key).substr(prefix_size);
    std::optional<std::string> row;
    if (store::Status status = store_->get(store::Table::views, view_keys::fulfilment(request_id), &row);
        !status.is_ok()) {
      return status;
    }
    if (row) rows->push_back({view_keys::fulfilment(request_id), std::move(*row)});
  }
  return store::Status::ok();
}

Outcome BenefitService::fulfilment_requests(const workflows::Actor& actor, std::optional<std::string> status,
                                            const Page& page) const {
  const auto is_time = [](std::string_view text) { return workflows::parseTime(text).has_value(); };
  if (!page.cursor.empty() && !is_keyed_id(page.cursor, is_time)) return bad_cursor();
  if (auto refused = workflows::authorize(actor, "", workflows::Permission::operatorOnly)) {
    return problem_of(*refused);
  }
  std::vector<store::KeyValue> rows;
  // Open requests come from their index, whatever the length of the queue's history.
  const store::Status read = status == "open" ? open_fulfilment_requests(&rows) : [&] {
    const std::string prefix = view_keys::fulfilment("");
    return store_->scan(store::Table::views, prefix, view_keys::prefix_end(prefix), kMaxFulfilmentListing, &rows);
  }();
  if (!read.is_ok()) return Problem{"unavailable", read.message(), nlohmann::json::object()};
  // Oldest first: each request's place in that order, which is also its cursor.
  const auto place = [](const nlohmann::json& request) {
    return request.value("requestedAt", "") + "/" + request.value("requestId", "");
  };
  std::vector<std::pair<std::string, nlohmann::json>> requests;
  for (const store::KeyValue& row : rows) {
    auto request = nlohmann::json::parse(row.value, nullptr, false);
    if (request.is_discarded() || (status && request.value("status", "") != *status)) continue;
    std::string at = place(request);
    if (!page.cursor.empty() && at <= page.cursor) continue;
    requests.emplace_back(std::move(at), std::move(request));
  }
  std::sort(requests.begin(), requests.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  nlohmann::json items = nlohmann::json::array();
  std::optional<std::string> next;
  for (auto& [at, request] : requests) {
    if (items.size() == page.limit) {
      next = place(items.back());
      break;
    }
    items.push_back(std::move(request));
  }
  return reply(list(std::move(items), next), views_position());
}

std::string BenefitService::metrics_text() const {
  const Position last = store_->last_position();
  const Position views = views_position();
  const std::size_t timers = store_->row_count(store::Table::timers).value_or(0);
  const std::size_t outbox = store_->row_count(store::Table::outbox).value_or(0);
  // Linear in the open requests only, never in the queue's history.
  std::vector<store::KeyValue> open_requests;
  (void)scan_open_fulfilment(*store_, std::numeric_limits<std::size_t>::max(), &open_requests);
  std::string text = metrics_.text();
  text += "# HELP benefitd_events_appended_total Events in the log.\n# TYPE benefitd_events_appended_total counter\n";
  text += "benefitd_events_appended_total " + std::to_string(last) + "\n";
  text += "# HELP benefitd_projection_position Log position the views include.\n# TYPE benefitd_projection_position gauge\n";
  text += "benefitd_projection_position " + std::to_string(views) + "\n";
  text += "# HELP benefitd_projection_lag_events Events appended but not yet in the views.\n# TYPE benefitd_projection_lag_events gauge\n";
  text += "benefitd_projection_lag_events " + std::to_string(last > views ? last - views : 0) + "\n";
  text += "# HELP benefitd_timers_pending Durable timers scheduled and not yet fired.\n# TYPE benefitd_timers_pending gauge\n";
  text += "benefitd_timers_pending " + std::to_string(timers) + "\n";
  text += "# HELP benefitd_fulfilment_queue_depth Fulfilment requests not yet completed or rejected.\n# TYPE benefitd_fulfilment_queue_depth gauge\n";
  text += "benefitd_fulfilment_queue_depth " + std::to_string(open_requests.size()) + "\n";
  text += "# HELP benefitd_outbox_pending Notifications not yet delivered.\n# TYPE benefitd_outbox_pending gauge\n";
  text += "benefitd_outbox_pending " + std::to_string(outbox) + "\n";
  const LongReadQueue::Counts long_reads = long_reads_.counts();
  text += "# HELP benefitd_long_reads_total Long reads (audit histories, fulfilment listings), by what became of them.\n"
          "# TYPE benefitd_long_reads_total counter\n";
  text += "benefitd_long_reads_total{outcome=\"run\"} " + std::to_string(long_reads.run) + "\n";
  text += "benefitd_long_reads_total{outcome=\"dropped\"} " + std::to_string(long_reads.dropped) + "\n";
  const Health now = health();
  text += "# HELP benefitd_store_writable 1 while the store accepts writes, 0 while it refuses them (disk nearly full, recovering from a failed write).\n# TYPE benefitd_store_writable gauge\n";
  text += "benefitd_store_writable " + std::string(now.store.writable() ? "1" : "0") + "\n";
  text += "# HELP benefitd_store_recoveries_total Times the store recovered by itself from a failed write.\n# TYPE benefitd_store_recoveries_total counter\n";
  text += "benefitd_store_recoveries_total " + std::to_string(now.store.recoveries) + "\n";
  text += "# HELP benefitd_views_stalled 1 while the views cannot follow the log (reads of views answer 503).\n# TYPE benefitd_views_stalled gauge\n";
  text += "benefitd_views_stalled " + std::string(now.views_error ? "1" : "0") + "\n";
  text += catch_up_progress_.metrics_text();
  return text;
}

store::Status BenefitService::export_cloudevents(const ExportFilter& filter, std::ostream& out,
                                                 const PassReport& progress) const {
  // A partner's events are found through its log index, a view: it must hold the whole log.
  if (const Position views = views_position(), last = store_->last_position(); filter.partner_id && views < last) {
    return store::Status::invalid_argument("the views include the log up to position " + std::to_string(views) +
                                           " of " + std::to_string(last) +
                                           ": rebuild them (benefitctl projections rebuild) to export one partner");
  }
  return app::export_cloudevents(*store_, filter, out, progress);
}

}  // namespace benefitd::app
