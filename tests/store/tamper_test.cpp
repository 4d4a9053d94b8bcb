// R-ENG-6: verification detects a changed byte, a removed event, two swapped events, a
// duplicated one and a stream head set back in a RocksDB store, whether it holds the head of
// every stream or has to read dropped heads back through the streams' index. The tampering
// goes straight at RocksDB, as an intruder with the files would.

#include <catch2/catch.hpp>

#include <rocksdb/db.h>

#include "store/chain_verifier.h"
#include "store/event_codec.h"
#include "support/raw_rocksdb.h"
#include "support/store_backends.h"
#include "event_builders.h"

using namespace benefitd::store;
using benefitd::testing::append_to;
using benefitd::testing::make_event;
using benefitd::testing::RocksDbBackend;

namespace {

// Opens the store's RocksDB directly and gives `tamper` its column family `family` (the log's
// unless said).
void with_raw_family(const std::filesystem::path& path,
                     const std::function<void(rocksdb::DB&, rocksdb::ColumnFamilyHandle*)>& tamper,
                     std::string_view family = "events") {
  benefitd::testing::with_raw_database(path, [&](rocksdb::DB& db, const benefitd::testing::RawFamilies& families) {
    tamper(db, families.named(family));
  });
}

std::string raw_event(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events, Position position) {
  std::string value;
  REQUIRE(db.Get(rocksdb::ReadOptions(), events, encode_big_endian(position), &value).ok());
  return value;
}

void put_raw(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events, Position position,
             const std::string& value) {
  REQUIRE(db.Put(rocksdb::WriteOptions(), events, encode_big_endian(position), value).ok());
}

RecordedEvent stored_event(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events, Position position) {
  RecordedEvent event;
  REQUIRE(decode_event(raw_event(db, events, position), &event).is_ok());
  return event;
}

void check_reported_at(const VerifyReport& report, Position position) {
  CHECK_FALSE(report.ok);
  CHECK(report.first_bad_position == position);
}

// Eight events over three streams, positions 1..8.
void fill(EventStore& store) {
  for (int i = 1; i <= 8; ++i) {
    const std::string stream = "benefit-" + std::to_string(i % 3);
    REQUIRE(store.append(append_to(stream, ExpectedVersion::any(),
                                   {make_event("E", "{\"n\":" + std::to_string(i) + "}")}))
                .status.is_ok());
  }
}

// Every stream's head held, or only two of three, so that heads are dropped and read back.
std::size_t heads_held() { return GENERATE(std::size_t{500'000}, std::size_t{2}); }

VerifyReport verify_after(RocksDbBackend& backend, std::size_t held,
                          const std::function<void(rocksdb::DB&, rocksdb::ColumnFamilyHandle*)>& tamper,
                          std::string_view family = "events") {
  backend.store.reset();
  with_raw_family(backend.dir.path() / "db", tamper, family);
  backend.reopen();
  return verify_chain(*backend.store, {}, {}, held);
}

}  // namespace

TEST_CASE("R-ENG-6 verification reports a flipped byte anywhere in an event", "[store][tamper]") {
  const std::size_t held = heads_held();
  RocksDbBackend backend;
  fill(*backend.store);
  REQUIRE(verify_chain(*backend.store, {}, {}, held).ok);

  std::string original;
  backend.store.reset();
  with_raw_family(backend.dir.path() / "db",
                  [&](rocksdb::DB& db, auto* events) { original = raw_event(db, events, 5); });
  // Every fourth byte covers each field of the record, its hashes included.
  for (std::size_t offset = 0; offset < original.size(); offset += 4) {
    INFO("offset " << offset << " of " << original.size());
    const VerifyReport report = verify_after(backend, held, [&](rocksdb::DB& db, auto* events) {
      std::string changed = original;
      changed[offset] = static_cast<char>(changed[offset] ^ 0x01);
      put_raw(db, events, 5, changed);
    });
    check_reported_at(report, 5);
  }
  verify_after(backend, held, [&](rocksdb::DB& db, auto* events) { put_raw(db, events, 5, original); });
  CHECK(verify_chain(*backend.store, {}, {}, held).ok);
}

TEST_CASE("R-ENG-6 verification reports a removed event", "[store][tamper]") {
  const std::size_t held = heads_held();
  RocksDbBackend backend;
  fill(*backend.store);

  SECTION("from the middle of the log") {
    const VerifyReport report = verify_after(backend, held, [](rocksdb::DB& db, auto* events) {
      REQUIRE(db.Delete(rocksdb::WriteOptions(), events, encode_big_endian(4)).ok());
    });
    check_reported_at(report, 4);
  }
  SECTION("at the end of the log") {
    const VerifyReport report = verify_after(backend, held, [](rocksdb::DB& db, auto* events) {
      REQUIRE(db.Delete(rocksdb::WriteOptions(), events, encode_big_endian(8)).ok());
    });
    check_reported_at(report, 8);
  }
}

TEST_CASE("R-ENG-6 verification reports two swapped events", "[store][tamper]") {
  const std::size_t held = heads_held();
  RocksDbBackend backend;
  fill(*backend.store);

  SECTION("of different streams") {
    const VerifyReport report = verify_after(backend, held, [](rocksdb::DB& db, auto* events) {
      const std::string third = raw_event(db, events, 3);
      const std::string fourth = raw_event(db, events, 4);
      put_raw(db, events, 3, fourth);
      put_raw(db, events, 4, third);
    });
    check_reported_at(report, 3);
  }
  SECTION("of one stream, rewritten with their positions swapped too") {
    // Positions 2 and 5 both belong to benefit-2: an intruder who also rewrites the positions
    // inside the records still breaks the stream's chain.
    const VerifyReport report = verify_after(backend, held, [](rocksdb::DB& db, auto* events) {
      RecordedEvent second = stored_event(db, events, 2);
      RecordedEvent fifth = stored_event(db, events, 5);
      std::swap(second.position, fifth.position);
      put_raw(db, events, 2, encode_event(fifth));
      put_raw(db, events, 5, encode_event(second));
    });
    check_reported_at(report, 2);
  }
}

TEST_CASE("R-ENG-6 verification holding few stream heads reads dropped ones back through the index",
          "[store][tamper]") {
  const std::size_t held = heads_held();
  RocksDbBackend backend;
  // 40 streams appended to in three rounds: positions 1..40, 41..80, 81..120. With two heads
  // held, every stream is met again after its head was dropped.
  for (int round = 0; round < 3; ++round) {
    for (int stream = 0; stream < 40; ++stream) {
      REQUIRE(backend.store
                  ->append(append_to("benefit-" + std::to_string(stream), ExpectedVersion::any(),
                                     {make_event("E", "{\"round\":" + std::to_string(round) + "}")}))
                  .status.is_ok());
    }
  }
  const VerifyReport intact = verify_chain(*backend.store, {}, {}, held);
  REQUIRE(intact.ok);
  CHECK(intact.events_checked == 120);

  SECTION("a flipped byte in a stream's third event") {
    const VerifyReport report = verify_after(backend, held, [](rocksdb::DB& db, auto* events) {
      std::string changed = raw_event(db, events, 88);
      changed[changed.size() / 2] = static_cast<char>(changed[changed.size() / 2] ^ 0x01);
      put_raw(db, events, 88, changed);
    });
    check_reported_at(report, 88);
  }
  SECTION("an event copied over another stream's, its position and hash rewritten") {
    // benefit-7's second event (position 48) copied to position 60 (benefit-19's second): its
    // link to benefit-7's first event holds, but the stream already has a version 2.
    const VerifyReport report = verify_after(backend, held, [](rocksdb::DB& db, auto* events) {
      RecordedEvent copy = stored_event(db, events, 48);
      copy.position = 60;
      copy.hash = compute_event_hash(copy);
      put_raw(db, events, 60, encode_event(copy));
    });
    check_reported_at(report, 60);
    CHECK(report.stream == "benefit-7");
  }
  SECTION("a stream's third event rewritten as a second version, linked to its first") {
    // benefit-3's third event (position 84) claims version 2 again, linked to its first event.
    const VerifyReport report = verify_after(backend, held, [](rocksdb::DB& db, auto* events) {
      RecordedEvent third = stored_event(db, events, 84);
      third.version = 2;
      third.prev_hash = stored_event(db, events, 4).hash;
      third.hash = compute_event_hash(third);
      put_raw(db, events, 84, encode_event(third));
    });
    check_reported_at(report, 84);
  }
  SECTION("a stream's head set back a version, so that its index ends before its events in the log do") {
    const VerifyReport report = verify_after(
        backend, held,
        [](rocksdb::DB& db, auto* streams) {
          std::string head;
          REQUIRE(db.Get(rocksdb::ReadOptions(), streams, "hbenefit-9", &head).ok());
          head.replace(0, 8, encode_big_endian(2));
          REQUIRE(db.Put(rocksdb::WriteOptions(), streams, "hbenefit-9", head).ok());
        },
        "streams");
    CHECK_FALSE(report.ok);
    CHECK(report.stream == "benefit-9");
    CHECK(report.problem == "the stream's head says version 2 but the log holds version 3");
  }
}
