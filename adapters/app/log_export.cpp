#include "adapters/app/log_export.h"

#include <charconv>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/app/view_keys.h"
#include "workflows/event_codec.h"
#include "workflows/json_reader.h"

namespace benefitd::app {

namespace {

constexpr std::size_t kChunk = 4096;
// Lines are gathered and written in blocks of about this size: one write per block, not per line.
constexpr std::size_t kFlushBytes = 1 << 20;

/// `text` as a JSON string, escaped as nlohmann::json::dump escapes it.
void append_json_string(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[(c >> 4) & 0x0f]);
          out->push_back(kHex[c & 0x0f]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void append_number(std::uint64_t number, std::string* out) {
  char digits[20];
  const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  out->append(digits, end);
}

void append_hex(const store::Hash& hash, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (const std::uint8_t byte : hash) {
    out->push_back(kHex[byte >> 4]);
    out->push_back(kHex[byte & 0x0f]);
  }
  out->push_back('"');
}

/// The event's data as JSON: redacted when its type holds secrets, as stored when it is JSON,
/// and as a JSON string when it is not JSON (so that every line stays JSON).
void append_data(const store::RecordedEvent& event, std::string* out) {
  const std::string& data = event.event.data;
  if (workflows::holdsSecrets(event.event.type)) {
    auto parsed = nlohmann::json::parse(data, nullptr, false);
    if (!parsed.is_discarded()) {
      out->append(workflows::redactSecrets(event.event.type, std::move(parsed)).dump());
      return;
    }
  } else if (workflows::isJsonText(data)) {
    out->append(data);
    return;
  }
  append_json_string(data, out);
}

bool in_window(const store::RecordedEvent& event, const ExportFilter& filter) {
  const auto at = std::chrono::floor<std::chrono::seconds>(event.event.occurred_at);
  return !(filter.from && at < *filter.from) && !(filter.to && at > *filter.to);
}

/// Formats the selected events of each chunk into a buffer and writes it out in blocks.
class LineWriter {
 public:
  LineWriter(const ExportFilter& filter, std::ostream& out) : filter_(filter), out_(out) { buffer_.reserve(kFlushBytes * 2); }

  store::Status write(const std::vector<store::RecordedEvent>& events) {
    for (const store::RecordedEvent& event : events) {
      if (!in_window(event, filter_)) continue;
      append_cloud_event_line(event, &buffer_);
      if (buffer_.size() >= kFlushBytes && !flush()) return store::Status::io_error("the export cannot be written");
    }
    return store::Status::ok();
  }

  bool flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
    return static_cast<bool>(out_);
  }

 private:
  const ExportFilter& filter_;
  std::ostream& out_;
  std::string buffer_;
};

/// The stretches of the log a pass reads: where the store's index of times says the window's
/// events are (log_times.h), else the whole log.
store::Status stretches_to_read(const store::EventStore& store, const ExportFilter& filter,
                                std::vector<store::PositionRange>* out) {
  if (!filter.from && !filter.to) {
    if (const store::Position last = store.last_position(); last > 0) out->push_back({1, last});
    return store::Status::ok();
  }
  // The window in the events' milliseconds: whole seconds, both ends included.
  const store::Timestamp from = filter.from ? store::Timestamp(*filter.from) : store::Timestamp::min();
  const store::Timestamp to = filter.to ? store::Timestamp(*filter.to) + std::chrono::milliseconds(999)
                                        : store::Timestamp::max();
  return store.positions_in_time(from, to, out);
}

store::Status export_log(const store::EventStore& store, const ExportFilter& filter, LineWriter& writer,
                         const PassReport& progress) {
  std::vector<store::PositionRange> stretches;
  if (store::Status status = stretches_to_read(store, filter, &stretches); !status.is_ok()) return status;
  std::uint64_t total = 0;
  for (const store::PositionRange& stretch : stretches) total += stretch.last - stretch.first + 1;
  std::uint64_t done = 0;
  std::vector<store::RecordedEvent> events;
  for (const store::PositionRange& stretch : stretches) {
    for (store::Position from = stretch.first; from <= stretch.last;) {
      events.clear();
      if (store::Status status = store.read_all(from, std::min<std::uint64_t>(kChunk, stretch.last - from + 1), &events);
          !status.is_ok()) {
        return status;
      }
      if (events.empty()) break;
      if (store::Status status = writer.write(events); !status.is_ok()) return status;
      done += events.size();
      from = events.back().position + 1;
      if (progress) progress(done, total);
    }
  }
  return store::Status::ok();
}

/// The events at `positions` (ascending): one range read when they lie close together (a
/// partner with most of the log), point reads when they are scattered (one of many partners).
/// Either way at most twice as many events are read as are wanted.
store::Status read_positions(const store::EventStore& store, const std::vector<store::Position>& positions,
                             std::vector<store::RecordedEvent>* out) {
  const store::Position span = positions.back() - positions.front() + 1;
  if (span > 2 * positions.size()) return store.read_at(positions, out);
  std::vector<store::RecordedEvent> range;
  if (store::Status status = store.read_all(positions.front(), span, &range); !status.is_ok()) return status;
  auto wanted = positions.begin();
  for (store::RecordedEvent& event : range) {
    if (wanted == positions.end()) break;
    if (event.position != *wanted) continue;
    out->push_back(std::move(event));
    ++wanted;
  }
  if (wanted != positions.end()) {
    return store::Status::corruption("the log has no event at position " + std::to_string(*wanted));
  }
  return store::Status::ok();
}

/// Drops the `positions` (ascending) that lie in none of the `stretches` (ascending).
void keep_within(const std::vector<store::PositionRange>& stretches, std::vector<store::Position>* positions) {
  auto stretch = stretches.begin();
  std::erase_if(*positions, [&](store::Position position) {
    while (stretch != stretches.end() && stretch->last < position) ++stretch;
    return stretch == stretches.end() || position < stretch->first;
  });
}

store::Status export_partner(const store::EventStore& store, const std::string& partner_id,
                             const ExportFilter& filter, LineWriter& writer, const PassReport& progress) {
  // With a time window, only the partner's events in the stretches of the log it may select.
  std::optional<std::vector<store::PositionRange>> stretches;
  if (filter.from || filter.to) {
    if (store::Status status = stretches_to_read(store, filter, &stretches.emplace()); !status.is_ok()) return status;
  }
  const std::string prefix = view_keys::log_of(partner_id);
  const std::string end = view_keys::prefix_end(prefix);
  std::string next = prefix;
  std::uint64_t done = 0;
  std::vector<store::KeyValue> rows;
  std::vector<store::Position> positions;
  std::vector<store::RecordedEvent> events;
  for (;;) {
    rows.clear();
    if (store::Status status = store.scan(store::Table::views, next, end, kChunk, &rows); !status.is_ok()) {
      return status;
    }
    if (rows.empty()) return store::Status::ok();
    positions.clear();
    for (const store::KeyValue& row : rows) {
      store::Position position = 0;
      const std::string_view digits = std::string_view(row.key).substr(prefix.size());
      if (std::from_chars(digits.data(), digits.data() + digits.size(), position).ec != std::errc()) {
        return store::Status::corruption("the partner's log index holds a key that names no position: " + row.key);
      }
      positions.push_back(position);
    }
    if (stretches) keep_within(*stretches, &positions);
    events.clear();
    if (!positions.empty()) {
      if (store::Status status = read_positions(store, positions, &events); !status.is_ok()) return status;
    }
    if (store::Status status = writer.write(events); !status.is_ok()) return status;
    done += rows.size();
    if (progress) progress(done, 0);
    next = rows.back().key + '\0';  // the first key after the last one read
  }
}

}  // namespace

void append_cloud_event_line(const store::RecordedEvent& event, std::string* line) {
  const store::EventData& data = event.event;
  line->append("{\"actor\":");
  append_json_string(data.actor, line);
  line->append(",\"causationid\":");
  append_json_string(data.causation_id, line);
  line->append(",\"correlationid\":");
  append_json_string(data.correlation_id, line);
  line->append(",\"data\":");
  append_data(event, line);
  line->append(",\"datacontenttype\":\"application/json\",\"dataschemaversion\":");
  append_number(data.schema_version, line);
  line->append(",\"hash\":");
  append_hex(event.hash, line);
  line->append(",\"id\":");
  append_json_string(data.id, line);
  line->append(",\"prevhash\":");
  append_hex(event.prev_hash, line);
  line->append(",\"sequence\":\"");
  append_number(event.position, line);
  line->append("\",\"source\":\"benefitd\",\"specversion\":\"1.0\",\"streamversion\":");
  append_number(event.version, line);
  line->append(",\"subject\":");
  append_json_string(event.stream, line);
  line->append(",\"time\":\"");
  line->append(workflows::formatTime(std::chrono::floor<std::chrono::seconds>(data.occurred_at)));
  line->append("\",\"type\":");
  append_json_string(data.type, line);
  line->append("}\n");
}

store::Status export_cloudevents(const store::EventStore& store, const ExportFilter& filter, std::ostream& out,
                                 const PassReport& progress) {
  LineWriter writer(filter, out);
  const store::Status status = filter.partner_id ? export_partner(store, *filter.partner_id, filter, writer, progress)
                                                 : export_log(store, filter, writer, progress);
  if (!status.is_ok()) return status;
  return writer.flush() ? store::Status::ok() : store::Status::io_error("the export cannot be written");
}

}  // namespace benefitd::app
