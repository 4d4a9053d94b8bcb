#pragma once
// The log's times by block of positions: an index that lets a pass select events by the time
// they occurred without reading the whole log (audit export --from/--to).
//
// The log's order is not time order (a timer's events carry the time it fell due; concurrent
// commands commit in any order; a clock can step back), so no search by position finds a time.
// But it is close to it. Like PostgreSQL's block range indexes (BRIN), the stores keep for each
// block of kBlockPositions consecutive positions the earliest and the latest time of its
// events, written in the same commit as the events; a window then reads only the blocks whose
// times overlap it. One small row per block touched by a commit, never one per event.
//
// A block's record also says the first position it covers: a store written before it kept
// times has blocks with no record, or (the block being written at the upgrade) a record that
// covers only its later positions. What no record covers is read, whatever the window.
//
// Thread safety: plain values and pure functions.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "store/event.h"

namespace benefitd::store {

/// Positions first..last of the log, both included.
struct PositionRange {
  Position first = 0;
  Position last = 0;
  bool operator==(const PositionRange&) const = default;
};

namespace log_times {

inline constexpr Position kBlockPositions = 4096;

using Block = std::uint64_t;  // block b holds positions b * kBlockPositions + 1 .. (b + 1) * kBlockPositions

/// What a block's record says: every event of the block from position `first` on occurred
/// within [earliest, latest].
struct BlockTimes {
  Position first = 0;
  Timestamp earliest{};
  Timestamp latest{};
  bool operator==(const BlockTimes&) const = default;
};

constexpr Block block_of(Position position) { return (position - 1) / kBlockPositions; }

/// The record of `times` as stored: three 8-byte big-endian numbers (times in milliseconds
/// since the epoch, offset so that their order is the numbers' order).
std::string encode(const BlockTimes& times);
/// Inverse of encode; false if `bytes` is not one.
bool decode(std::string_view bytes, BlockTimes* out);

/// `into` widened to also cover `more` (records of the same block).
void widen(BlockTimes& into, const BlockTimes& more);

/// The records of the blocks some events fall in, folded from the events one at a time, in any
/// order (for a commit: its events' blocks, to be widened into the stored records).
class Folder {
 public:
  void add(Position position, Timestamp time);
  const std::map<Block, BlockTimes>& blocks() const { return blocks_; }

 private:
  std::map<Block, BlockTimes> blocks_;
};

/// The stretches of positions 1..`last` that may hold an event that occurred within
/// [`from`, `to`], given the blocks' records (`recorded`, any subset of the blocks): ascending,
/// apart, adjacent stretches joined. Positions no record covers are always included.
std::vector<PositionRange> ranges_to_read(const std::map<Block, BlockTimes>& recorded, Position last, Timestamp from,
                                          Timestamp to);

}  // namespace log_times
}  // namespace benefitd::store
