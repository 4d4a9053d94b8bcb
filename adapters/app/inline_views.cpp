#include "adapters/app/inline_views.h"

#include <memory>
#include <utility>

#include "adapters/app/view_rows.h"

namespace benefitd::app {

namespace {

// Applies `append`'s events one by one to the state the decision read, writing each one's
// views; `index` numbers the events across the write's streams. The state they leave goes
// into `states_after`.
template <class Aggregate>
store::Status project_append(std::shared_ptr<const Aggregate> state, const workflows::StreamAppend& append,
                             std::size_t& index, engine::ViewWriter& views,
                             std::map<std::string, std::shared_ptr<const Aggregate>>& states_after) {
  if (state->version() != append.expectedVersion) {
    return store::Status::corruption("the decision appends to " + append.streamId + " at version " +
                                     std::to_string(append.expectedVersion) + " but read it at version " +
                                     std::to_string(state->version()));
  }
  for (const workflows::DomainEvent& event : append.events) {
    auto after = std::make_shared<Aggregate>(*state);
    try {
      after->apply(event);
    } catch (const std::exception& error) {
      return store::Status::corruption("an event of " + append.streamId + " cannot be applied: " + error.what());
    }
    const ProjectedEvent projected{event, after->version(), {0, index++}};
    std::shared_ptr<const Aggregate> before = std::exchange(state, std::move(after));
    if (store::Status status = write_views(projected, before, state, views); !status.is_ok()) return status;
  }
  states_after.insert_or_assign(append.streamId, std::move(state));
  return store::Status::ok();
}

template <class Aggregate>
void remember_all(const std::map<std::string, std::shared_ptr<const Aggregate>>& after,
                  engine::AggregateRepository<Aggregate>& repository) {
  for (const auto& [stream, state] : after) repository.remember(stream, {state, state->version()});
}

}  // namespace

store::Status inline_views(const workflows::Decision& decision, const DecisionSource& source,
                           const store::EventStore& store, InlineViews* out) {
  engine::ViewWriter views(store);
  StatesAfter after;
  std::size_t index = 0;
  for (const workflows::StreamAppend& append : decision.appends) {
    const std::string& stream = append.streamId;
    // A stream the decision creates starts empty: nothing to read (were it there after all, the
    // append, which expects no stream, fails and the command is decided again).
    const bool created = append.expectedVersion == 0;
    store::Status status = store::Status::ok();
    if (stream.starts_with("partner-")) {
      status = project_append(created ? std::make_shared<const workflows::Partner>() : source.partner_state(stream),
                              append, index, views, after.partners);
    } else if (stream.starts_with("package-")) {
      status = project_append(created ? std::make_shared<const workflows::Package>() : source.package_state(stream),
                              append, index, views, after.packages);
    } else if (stream.starts_with("benefit-")) {
      status = project_append(created ? std::make_shared<const workflows::Benefit>() : source.benefit_state(stream),
                              append, index, views, after.benefits);
    } else {
      index += append.events.size();  // a stream of no view
    }
    if (!status.is_ok()) return status;
  }
  out->writes = views.take();
  out->keys.clear();
  for (const store::KeyedWrite& write : out->writes) out->keys.push_back(write.key);
  out->after = std::move(after);
  return store::Status::ok();
}

void remember_states(const StatesAfter& after, Aggregates& aggregates) {
  remember_all(after.partners, aggregates.partners());
  remember_all(after.packages, aggregates.packages());
  remember_all(after.benefits, aggregates.benefits());
}

}  // namespace benefitd::app
