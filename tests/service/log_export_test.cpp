// The audit export on a log written by hand, with events at known times that are not in log
// order (as a timer's events are: they carry the time the timer fell due): the partner filter
// reads through the partner's log index and nothing else, the time window selects by
// occurrence time with both ends included, and each line is the CloudEvents object, redacted.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <span>
#include <sstream>

#include "adapters/app/log_export.h"
#include "adapters/app/view_keys.h"
#include "store/log_times.h"
#include "store/memory_event_store.h"
#include "store/rocksdb/rocksdb_event_store.h"
#include "support/temp_dir.h"
#include "workflows/event_codec.h"
#include "workflows/json_reader.h"

namespace benefitd::testing {
namespace {

using store::Position;
using Time = workflows::Time;

Time at(const char* text) { return *workflows::parseTime(text); }

/// The CloudEvents 1.0 object of an event as API.md describes it, built member by member.
nlohmann::json expected_cloud_event(const store::RecordedEvent& event) {
  auto data = nlohmann::json::parse(event.event.data, nullptr, false);
  if (data.is_discarded()) data = event.event.data;
  return {
      {"specversion", "1.0"},
      {"id", event.event.id},
      {"source", "benefitd"},
      {"type", event.event.type},
      {"subject", event.stream},
      {"time", workflows::formatTime(std::chrono::floor<std::chrono::seconds>(event.event.occurred_at))},
      {"datacontenttype", "application/json"},
      {"dataschemaversion", event.event.schema_version},
      {"sequence", std::to_string(event.position)},
      {"streamversion", event.version},
      {"actor", event.event.actor},
      {"correlationid", event.event.correlation_id},
      {"causationid", event.event.causation_id},
      {"hash", store::to_hex(event.hash)},
      {"prevhash", store::to_hex(event.prev_hash)},
      {"data", workflows::redactSecrets(event.event.type, std::move(data))},
  };
}

/// Counts the events each read hands out, to show which reads an export makes.
class CountingStore final : public store::EventStore {
 public:
  void append_async(store::WriteRequest request, AppendCallback done) override {
    inner->append_async(std::move(request), std::move(done));
  }
  store::Status read_stream(std::string_view stream, store::Version from, std::size_t max_count,
                            std::vector<store::RecordedEvent>* out) const override {
    return inner->read_stream(stream, from, max_count, out);
  }
  store::Status read_all(Position from, std::size_t max_count, std::vector<store::RecordedEvent>* out) const override {
    const std::size_t before = out->size();
    const store::Status status = inner->read_all(from, max_count, out);
    read_all_events += out->size() - before;
    return status;
  }
  store::Status positions_in_time(store::Timestamp from, store::Timestamp to,
                                  std::vector<store::PositionRange>* out) const override {
    return inner->positions_in_time(from, to, out);
  }
  store::Status read_at(const std::vector<Position>& positions, std::vector<store::RecordedEvent>* out) const override {
    read_at_events += positions.size();
    return inner->read_at(positions, out);
  }
  store::Status stream_version(std::string_view stream, store::Version* out) const override {
    return inner->stream_version(stream, out);
  }
  Position last_position() const override { return inner->last_position(); }
  store::Status get(store::Table table, std::string_view key, std::optional<std::string>* out) const override {
    return inner->get(table, key, out);
  }
  store::Status scan(store::Table table, std::string_view from_key, std::string_view to_key, std::size_t max_count,
                     std::vector<store::KeyValue>* out) const override {
    return inner->scan(table, from_key, to_key, max_count, out);
  }
  std::optional<std::size_t> row_count(store::Table table) const override { return inner->row_count(table); }
  void add_commit_observer(CommitObserver observer) override { inner->add_commit_observer(std::move(observer)); }

  std::unique_ptr<store::EventStore> inner = std::make_unique<store::MemoryEventStore>();
  mutable std::size_t read_all_events = 0;
  mutable std::size_t read_at_events = 0;
};

struct Written {
  const char* stream;
  const char* partner;
  const char* occurred_at;
  std::chrono::milliseconds past_the_second{0};
};

/// Positions 1..6. Position 4 occurred before position 3 (a timer that fell due at 08:00 and
/// fired after the 12:00 command), so occurrence time is not in log order.
constexpr Written kLog[] = {
    {"partner-P1", "P1", "2026-01-05T10:00:00Z"},
    {"partner-P2", "P2", "2026-01-05T09:00:00Z"},
    {"benefit-B1", "P1", "2026-01-05T12:00:00Z"},
    {"benefit-B1", "P1", "2026-01-05T08:00:00Z"},
    {"partner-P2", "P2", "2026-01-05T11:00:00Z"},
    {"benefit-B1", "P1", "2026-01-05T12:00:00Z", std::chrono::milliseconds(999)},
};

void write_log(store::EventStore& store, std::span<const Written> log = kLog) {
  int n = 0;
  for (const Written& written : log) {
    store::EventData event;
    event.id = "E" + std::to_string(++n);
    event.type = "BenefitNoted";
    event.occurred_at = std::chrono::time_point_cast<std::chrono::milliseconds>(at(written.occurred_at)) +
                        written.past_the_second;
    event.actor = "operator";
    event.data = R"({"n":)" + std::to_string(n) + "}";
    store::WriteRequest request;
    request.streams.push_back({written.stream, store::ExpectedVersion::any(), {event}});
    // The row the views write for each event of a partner's streams.
    request.writes.push_back(
        store::KeyedWrite::put_at_event(store::Table::views, app::view_keys::log_of(written.partner), 0, ""));
    REQUIRE(store.append(std::move(request)).status.is_ok());
  }
}

/// The sequences (positions) of the exported lines, in the order written.
std::vector<Position> exported(const store::EventStore& store, const app::ExportFilter& filter) {
  std::ostringstream out;
  REQUIRE(app::export_cloudevents(store, filter, out).is_ok());
  std::vector<Position> positions;
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) {
    positions.push_back(std::stoull(nlohmann::json::parse(line)["sequence"].get<std::string>()));
  }
  return positions;
}

TEST_CASE("R-AUTH-7 audit export of a partner reads its events through its log index, in log order",
          "[audit][export]") {
  CountingStore store;
  write_log(store);
  CHECK(exported(store, {"P1", std::nullopt, std::nullopt}) == std::vector<Position>{1, 3, 4, 6});
  // Close together: one range read from the partner's first event to its last, no further.
  CHECK(store.read_all_events == 6);
  CHECK(store.read_at_events == 0);
  CHECK(exported(store, {"P2", std::nullopt, std::nullopt}) == std::vector<Position>{2, 5});
  CHECK(store.read_all_events == 6 + 4);
  store.read_all_events = 0;
  CHECK(exported(store, {"P-none", std::nullopt, std::nullopt}).empty());
  CHECK(store.read_all_events + store.read_at_events == 0);
}

TEST_CASE("R-AUTH-7 audit export of a partner whose events are scattered reads only those, one by one",
          "[audit][export]") {
  constexpr Written kScattered[] = {
      {"partner-P1", "P1", "2026-01-05T09:00:00Z"}, {"partner-P2", "P2", "2026-01-05T09:00:00Z"},
      {"partner-P2", "P2", "2026-01-05T09:00:00Z"}, {"partner-P2", "P2", "2026-01-05T09:00:00Z"},
      {"partner-P2", "P2", "2026-01-05T09:00:00Z"}, {"partner-P2", "P2", "2026-01-05T09:00:00Z"},
      {"partner-P1", "P1", "2026-01-05T09:00:00Z"},
  };
  CountingStore store;
  write_log(store, kScattered);
  CHECK(exported(store, {"P1", std::nullopt, std::nullopt}) == std::vector<Position>{1, 7});
  CHECK(store.read_all_events == 0);  // the log between them was not read
  CHECK(store.read_at_events == 2);
}

TEST_CASE("R-ENG-7 audit export --from and --to select by occurrence time, both ends included, though times are "
          "not in log order",
          "[audit][export]") {
  CountingStore store;
  write_log(store);
  CHECK(exported(store, {}) == std::vector<Position>{1, 2, 3, 4, 5, 6});
  CHECK(exported(store, {std::nullopt, at("2026-01-05T09:00:00Z"), at("2026-01-05T11:00:00Z")}) ==
        std::vector<Position>{1, 2, 5});
  // After position 3 (12:00) comes 4 (08:00): a search by position would miss one or the other.
  CHECK(exported(store, {std::nullopt, std::nullopt, at("2026-01-05T09:00:00Z")}) == std::vector<Position>{2, 4});
  // Times are compared in whole seconds, as the lines show them: 12:00:00.999 is 12:00:00.
  CHECK(exported(store, {std::nullopt, at("2026-01-05T12:00:00Z"), at("2026-01-05T12:00:00Z")}) ==
        std::vector<Position>{3, 6});
  CHECK(exported(store, {std::nullopt, at("2026-01-05T12:00:01Z"), std::nullopt}).empty());
  // Both filters: the partner's events through its index, then the window.
  CHECK(exported(store, {"P1", at("2026-01-05T08:00:00Z"), at("2026-01-05T10:00:00Z")}) ==
        std::vector<Position>{1, 4});
}

TEST_CASE("R-ENG-7 audit export of a time window on RocksDB reads only the blocks of the log whose times overlap it, "
          "with or without a partner",
          "[audit][export]") {
  TempDir dir;
  CountingStore store;
  std::unique_ptr<store::RocksDbEventStore> rocksdb;
  REQUIRE(store::RocksDbEventStore::open({dir.path() / "db", store::Durability::none}, &rocksdb).is_ok());
  store.inner = std::move(rocksdb);
  // The first block on 5 January, the second on the 6th but for one late timer's event.
  constexpr Position kBlock = store::log_times::kBlockPositions;
  std::vector<Written> log(2 * kBlock, {"partner-P1", "P1", "2026-01-05T09:00:00Z"});
  for (Position position = kBlock + 1; position <= 2 * kBlock; ++position) {
    log[position - 1].occurred_at = "2026-01-06T09:00:00Z";
  }
  constexpr Position kLate = kBlock + 10;
  log[kLate - 1].occurred_at = "2026-01-05T10:00:00Z";
  write_log(store, log);

  CHECK(exported(store, {std::nullopt, at("2026-01-06T00:00:00Z"), std::nullopt}).size() == kBlock - 1);
  CHECK(store.read_all_events == kBlock);  // the second block alone
  store.read_all_events = 0;
  const auto on_the_fifth = exported(store, {std::nullopt, at("2026-01-05T00:00:00Z"), at("2026-01-05T23:59:59Z")});
  CHECK(on_the_fifth.size() == kBlock + 1);
  CHECK(on_the_fifth.back() == kLate);
  CHECK(store.read_all_events == 2 * kBlock);
  store.read_all_events = 0;
  CHECK(exported(store, {std::nullopt, at("2026-01-07T00:00:00Z"), std::nullopt}).empty());
  CHECK(store.read_all_events == 0);
  // A partner's window: its index names all its events; only those in the window's blocks are read.
  CHECK(exported(store, {"P1", at("2026-01-06T00:00:00Z"), std::nullopt}).size() == kBlock - 1);
  CHECK(store.read_all_events + store.read_at_events == kBlock);
  store.read_all_events = 0;
  CHECK(exported(store, {"P1", at("2026-01-07T00:00:00Z"), std::nullopt}).empty());
  CHECK(store.read_all_events + store.read_at_events == 0);
}

TEST_CASE("audit export reports its progress against the log's length, or against an unknown total for a partner",
          "[audit][export]") {
  CountingStore store;
  write_log(store);
  std::ostringstream out;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> heard;
  const app::PassReport report = [&heard](std::uint64_t done, std::uint64_t total) { heard.emplace_back(done, total); };
  REQUIRE(app::export_cloudevents(store, {}, out, report).is_ok());
  REQUIRE(!heard.empty());
  CHECK(heard.back() == std::pair<std::uint64_t, std::uint64_t>{6, 6});
  heard.clear();
  REQUIRE(app::export_cloudevents(store, {"P1", std::nullopt, std::nullopt}, out, report).is_ok());
  REQUIRE(!heard.empty());
  CHECK(heard.back() == std::pair<std::uint64_t, std::uint64_t>{4, 0});
}

TEST_CASE("R-SW-2 each audit export line is the event's CloudEvents object with its secrets redacted",
          "[audit][export]") {
  store::RecordedEvent event;
  event.position = 42;
  event.stream = "benefit-B\"1";
  event.version = 3;
  event.event.id = "E-1";
  event.event.occurred_at = std::chrono::time_point_cast<std::chrono::milliseconds>(at("2026-01-05T09:00:00Z"));
  event.event.actor = "user:U\n\t\x01\\";
  event.event.correlation_id = "corr";
  event.event.causation_id = "cmd";
  event.hash.fill(0xab);
  event.prev_hash.fill(0x01);

  const auto line_of = [](const store::RecordedEvent& recorded) {
    std::string line;
    app::append_cloud_event_line(recorded, &line);
    REQUIRE(line.ends_with('\n'));
    return line.substr(0, line.size() - 1);
  };
  const std::string key = "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY";
  event.event.type = "KeyRevealed";
  event.event.data = nlohmann::json{{"benefitId", "B1"}, {"key", key}, {"language", "en-US"}}.dump();
  CHECK(line_of(event) == expected_cloud_event(event).dump());
  CHECK(line_of(event).find(key) == std::string::npos);
  CHECK(nlohmann::json::parse(line_of(event))["data"]["key"] == "REDACTED");

  event.event.type = "BenefitActivated";
  event.event.data = nlohmann::json{{"accessId", "secret-a"}, {"contractId", "secret-c"}, {"n", 1.5}}.dump();
  CHECK(line_of(event) == expected_cloud_event(event).dump());
  CHECK(line_of(event).find("secret-") == std::string::npos);

  event.event.type = "PartnerRegistered";
  event.event.data = nlohmann::json{{"name", "Zoë \"Z\"\n"}, {"tags", {1, 2, nullptr}}}.dump();
  CHECK(line_of(event) == expected_cloud_event(event).dump());

  event.event.data = "not JSON {";  // shown as a string, so the line stays JSON
  CHECK(line_of(event) == expected_cloud_event(event).dump());
}

TEST_CASE("audit export copies an event's data as stored exactly when it is JSON, as nlohmann's parser decides",
          "[audit][export]") {
  const std::vector<std::string> texts = {
      R"({"a":1,"b":[true,false,null],"c":{"d":"e"}})", " [ 1 , -2.5e+3 , 0 , -0.0 , 1E5 ] ", R"("x")", "0", "-0",
      "12.5e-3", "true", "null", R"({"k":"\u00e9\ud83d\ude00\n\t\\\/\""})", "{}", "[]", "\"Zo\xc3\xab\"",
      "\"\xe2\x82\xac\xf0\x9f\x98\x80\"", std::string(512, '[') + std::string(512, ']'), "",
      " ", "{", "}", "[1,]", "[,1]", R"({"a":1,})", R"({"a" 1})", R"({a:1})", "01", "-", "1.", ".5", "1e", "+1",
      "tru", "nul", "True", "[1 2]", R"("\x")", R"("\u12")", R"("\ud83d")", R"("\ude00")", R"("\ud83d\u0041")",
      "\"a\x01\"", "\"unterminated", "1 2", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xff\"",
      "\"\xe2\x82\"", "\"\xc3\"", "nullx", "[1]]", R"({"a":[{"b":}]})",
  };
  for (const std::string& text : texts) {
    INFO(text);
    CHECK(workflows::isJsonText(text) == nlohmann::json::accept(text));
  }
  // Deeper than the reader's limit: refused (nlohmann's parser takes it; such data is exported as a string).
  CHECK(!workflows::isJsonText(std::string(1025, '[') + std::string(1025, ']')));
  CHECK(workflows::isJsonText(std::string(1024, '[') + std::string(1024, ']')));
}

}  // namespace
}  // namespace benefitd::testing
