// Aggregate snapshots as bytes: every field of an aggregate's view, in a compact binary layout
// headed by its layout number. A snapshot is written with each commit that changes the
// aggregate (adapters/app/view_rows.h), so that loading an aggregate that is not in memory is
// one point read instead of a replay of its stream; the aggregate comes back from it through
// Benefit::restore and its kin.
//
// Bytes of another layout, or bytes that do not decode, decode to nothing: the loader then
// replays the stream, which stays the proof (R-ENG-7). Change kSnapshotLayout with any change
// to a view's fields or their meaning.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "workflows/views.h"

namespace benefitd::workflows {

inline constexpr unsigned char kSnapshotLayout = 1;

std::string encodeSnapshot(const BenefitView& benefit);
std::string encodeSnapshot(const PackageView& package);
std::string encodeSnapshot(const PartnerView& partner);

/// The view `bytes` hold; false (and `out` unspecified) for anything but a snapshot of this
/// layout and kind, decoded to its last byte.
bool decodeSnapshot(std::string_view bytes, BenefitView* out);
bool decodeSnapshot(std::string_view bytes, PackageView* out);
bool decodeSnapshot(std::string_view bytes, PartnerView* out);

}  // namespace benefitd::workflows
