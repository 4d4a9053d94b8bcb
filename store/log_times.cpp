#include "store/log_times.h"

#include <algorithm>

#include "store/event_codec.h"

namespace benefitd::store::log_times {

namespace {

// Times before the epoch are negative: offset so that unsigned order is time order.
constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;

std::string encode_time(Timestamp time) {
  return encode_big_endian(static_cast<std::uint64_t>(time.time_since_epoch().count()) ^ kSignBit);
}

bool decode_time(std::string_view bytes, Timestamp* out) {
  std::uint64_t number = 0;
  if (!decode_big_endian(bytes, &number)) return false;
  *out = Timestamp(std::chrono::milliseconds(static_cast<std::int64_t>(number ^ kSignBit)));
  return true;
}

Position block_first(Block block) { return block * kBlockPositions + 1; }
Position block_last(Block block) { return (block + 1) * kBlockPositions; }

void include(std::vector<PositionRange>& ranges, Position first, Position last) {
  if (first > last) return;
  if (!ranges.empty() && ranges.back().last + 1 == first) {
    ranges.back().last = last;
  } else {
    ranges.push_back({first, last});
  }
}

}  // namespace

std::string encode(const BlockTimes& times) {
  return encode_big_endian(times.first) + encode_time(times.earliest) + encode_time(times.latest);
}

bool decode(std::string_view bytes, BlockTimes* out) {
  return bytes.size() == 24 && decode_big_endian(bytes.substr(0, 8), &out->first) &&
         decode_time(bytes.substr(8, 8), &out->earliest) && decode_time(bytes.substr(16, 8), &out->latest);
}

void widen(BlockTimes& into, const BlockTimes& more) {
  into.first = std::min(into.first, more.first);
  into.earliest = std::min(into.earliest, more.earliest);
  into.latest = std::max(into.latest, more.latest);
}

void Folder::add(Position position, Timestamp time) {
  const BlockTimes event{position, time, time};
  const auto [block, added] = blocks_.try_emplace(block_of(position), event);
  if (!added) widen(block->second, event);
}

std::vector<PositionRange> ranges_to_read(const std::map<Block, BlockTimes>& recorded, Position last, Timestamp from,
                                          Timestamp to) {
  std::vector<PositionRange> ranges;
  if (last == 0 || from > to) return ranges;
  for (Block block = 0; block <= block_of(last); ++block) {
    const Position end = std::min(block_last(block), last);
    const auto found = recorded.find(block);
    if (found == recorded.end()) {
      include(ranges, block_first(block), end);
      continue;
    }
    const BlockTimes& times = found->second;
    include(ranges, block_first(block), std::min(times.first - 1, end));  // written before times were kept
    if (times.earliest <= to && times.latest >= from) include(ranges, std::max(times.first, block_first(block)), end);
  }
  return ranges;
}

}  // namespace benefitd::store::log_times
