#pragma once
// Keys of the views table. Numbers inside keys are zero-padded to 20 digits so that key
// order is numeric order.
// Thread safety: pure functions.

#include <cstdint>
#include <string>
#include <string_view>

#include "store/write_request.h"
#include "workflows/time.h"

namespace benefitd::app::view_keys {

std::string padded(std::uint64_t number);
std::string padded(workflows::Time time);

inline std::string benefit(std::string_view id) { return "benefit/" + std::string(id); }
inline std::string package(std::string_view id) { return "package/" + std::string(id); }
inline std::string partner(std::string_view id) { return "partner/" + std::string(id); }
inline std::string users_of(std::string_view partner) { return "user/" + std::string(partner) + "/"; }
inline std::string user(std::string_view partner, std::string_view id) {
  return users_of(partner) + std::string(id);
}
inline std::string benefits_of(std::string_view partner) {
  return "partner-benefit/" + std::string(partner) + "/";
}
inline std::string packages_of(std::string_view partner) {
  return "partner-package/" + std::string(partner) + "/";
}
inline std::string expiries_of(std::string_view partner) { return "expiry/" + std::string(partner) + "/"; }
inline std::string expiry(std::string_view partner, workflows::Time at, std::string_view benefit) {
  return expiries_of(partner) + padded(at) + "/" + std::string(benefit);
}
inline std::string fulfilment(std::string_view request) { return "fulfilment/" + std::string(request); }
/// Present while a fulfilment request is open: the queue's depth without reading its history.
inline std::string open_fulfilment(std::string_view request) { return "fulfilment-open/" + std::string(request); }
/// Every event of a partner's streams (the partner's, its packages', its benefits') writes an
/// entry here, so a change to any view of the partner writes a key under this prefix: long-polls
/// of the partner's lists wait on it (app::ViewWatch).
inline std::string log_of(std::string_view partner) { return "partner-log/" + std::string(partner) + "/"; }
/// Written with the command's events, before their positions are known: see
/// store::KeyedWrite::at_event, whose suffix this is.
inline std::string log_entry(std::string_view partner, std::uint64_t position) {
  return log_of(partner) + store::position_key_suffix(position);
}

/// The latest snapshot of an aggregate's stream (workflows/snapshot_codec.h).
inline std::string snapshot(std::string_view stream) { return "snapshot/" + std::string(stream); }

/// The first key after every key that starts with `prefix` (for scan upper bounds).
std::string prefix_end(std::string prefix);

}  // namespace benefitd::app::view_keys
