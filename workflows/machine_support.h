// Shared pieces of the Boost.MSM machines (internal to workflows/): a polymorphic base that
// gives every state its persisted name, and the generic row functors. Rows come in two kinds:
//   Row<State, SomeEvent,   Target, Record>          applying a recorded event (replay)
//   Row<State, SomeCommand, none,   Decide, Allowed> deciding a command: an internal row, so
//                                                    deciding never changes the machine's state
// A machine front-end derives from Binding<View, Decider> to reach the view being rebuilt and
// the decider of the command being decided. applyEvent and decideOnCopy are the aggregates'
// apply and decide, the same for every machine.
// Thread safety: machines are used by one thread at a time.
#pragma once

#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "workflows/replay_error.h"

namespace benefitd::workflows::machine {

/// Base of every state: the name persisted in views ("active", "pmc", ...).
struct NamedState {
  virtual ~NamedState() = default;
  virtual std::string_view name() const { return {}; }
};

template <class View, class Decider>
struct Binding {
  // No row sends its machine another message, so the machines need no queue of messages to
  // defer them: MSM's default queue is a std::deque in every machine and submachine, allocated
  // with each aggregate and with each copy that applying an event or deciding a command makes.
  using no_message_queue = int;

  View* view = nullptr;        // set while applying events
  Decider* decider = nullptr;  // set while deciding a command
  std::string* failure = nullptr;  // where an exception escaping a row is recorded

  /// Points the machine at a view, decider and failure slot (or detaches it with nulls). A
  /// machine with submachines hides this with one that binds every level.
  void bind(View* boundView, Decider* boundDecider, std::string* boundFailure) {
    view = boundView;
    decider = boundDecider;
    failure = boundFailure;
  }
};

/// Event rows: update the view with the event's data.
struct Record {
  template <class Event, class Fsm, class Source, class Target>
  void operator()(const Event& event, Fsm& fsm, Source&, Target&) const {
    record(*fsm.view, event);
  }
};

/// Command rows, guard: the decider's rules for this command (a "no" carries a reason).
struct Allowed {
  template <class Command, class Fsm, class Source, class Target>
  bool operator()(const Command& command, Fsm& fsm, Source&, Target&) const {
    return fsm.decider->allows(command);
  }
};

/// Command rows, action: the decider emits the events.
struct Decide {
  template <class Command, class Fsm, class Source, class Target>
  void operator()(const Command& command, Fsm& fsm, Source&, Target&) const {
    fsm.decider->decide(command);
  }
};

/// Events have a type name; commands do not.
template <class T>
concept RecordedEvent = requires { T::kType; };

/// Shared no_transition / exception_caught behaviour. `status` is the machine's state name.
template <class Message, class Binding>
void unhandled([[maybe_unused]] const Message& message, Binding& binding, std::string_view status) {
  if constexpr (RecordedEvent<Message>) {
    if (binding.failure && binding.failure->empty())
      *binding.failure = "event " + std::string{Message::kType} + " is not allowed in state '" + std::string{status} + "'";
  } else {
    if (binding.decider) binding.decider->refuseInState(status);
  }
}

template <class Binding>
void caught(Binding& binding, const std::exception& error) {
  if (binding.failure && binding.failure->empty()) *binding.failure = error.what();
}

/// An aggregate's apply: runs the next event of its stream through `machine` against a copy of
/// `view`, which replaces `view` (its `state` field set to the machine's state name, its
/// version counted) only if the machine took the event. Otherwise throws ReplayError with
/// `subject()` ("package P-1") and leaves machine-visible data as it was.
template <class Machine, class View, class Event, class Subject>
void applyEvent(Machine& machine, View& view, std::string View::*state, const Event& event, Subject subject) {
  std::string failure;
  View next = view;
  machine.bind(&next, nullptr, &failure);
  std::visit([&machine](const auto& e) { machine.process_event(e); }, event);
  machine.bind(nullptr, nullptr, nullptr);
  if (!failure.empty()) throw ReplayError(subject() + ": " + failure);
  next.*state = std::string{machine.name()};
  ++next.version;
  view = std::move(next);
}

/// An aggregate's decide: runs the decider's command through a copy of `machine`, since
/// deciding never moves the machine. A row that throws is a bug: std::logic_error naming
/// `subject()`.
template <class Machine, class Decider, class Subject>
void decideOnCopy(const Machine& machine, Decider& decider, Subject subject) {
  if (!decider.admit()) return;
  // as_const makes it a real copy: MSM's forwarding constructor would take a non-const
  // machine as a constructor argument.
  Machine copy{std::as_const(machine)};
  std::string failure;
  copy.bind(nullptr, &decider, &failure);
  std::visit([&copy](const auto& command) { copy.process_event(command); }, decider.command());
  if (!failure.empty()) throw std::logic_error(subject() + ": " + failure);
}

/// An aggregate's restore (Benefit::restore and its kin): a fresh aggregate driven through
/// `path`, the recorded events that lead its machine to the state `view.*state` names (their
/// data does not matter), then given `view` through `view_slot(aggregate)`. Nothing if there is
/// no path or the machine did not take it to that state.
template <class Aggregate, class View, class Event, class ViewSlot>
std::optional<Aggregate> restore(View view, std::string View::*state, const std::optional<std::vector<Event>>& path,
                                 ViewSlot view_slot) {
  if (!path) return std::nullopt;
  Aggregate aggregate;
  try {
    for (const Event& event : *path) aggregate.apply(event);
  } catch (const ReplayError&) {
    return std::nullopt;
  }
  if (aggregate.view().*state != view.*state) return std::nullopt;
  view_slot(aggregate) = std::move(view);
  return aggregate;
}

}  // namespace benefitd::workflows::machine
