// Shared pieces of the Boost.MSM machines (internal to workflows/): a polymorphic base that
// gives every state its persisted name, and the generic row functors. Rows come in two kinds:
//   Row<State, SomeEvent,   Target, Record>          applying a recorded event (replay)
//   Row<State, SomeCommand, none,   Decide, Allowed> deciding a command: an internal row, so
//                                                    deciding never changes the machine's state
// A machine front-end derives from Binding<View, Decider> to reach the view being rebuilt and
// the decider of the command being decided.
// Thread safety: machines are used by one thread at a time.
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <type_traits>

namespace benefitd::workflows::machine {

/// Base of every state: the name persisted in views ("active", "pmc", ...).
struct NamedState {
  virtual ~NamedState() = default;
  virtual std::string_view name() const { return {}; }
};

template <class View, class Decider>
struct Binding {
  View* view = nullptr;        // set while applying events
  Decider* decider = nullptr;  // set while deciding a command
  std::string* failure = nullptr;  // where an exception escaping a row is recorded
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

}  // namespace benefitd::workflows::machine
