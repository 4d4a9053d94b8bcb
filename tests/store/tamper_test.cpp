// R-ENG-6: verification detects a changed byte, a removed event and two swapped events in a
// RocksDB store. The tampering goes straight at RocksDB, as an intruder with the files would.

#include <catch2/catch.hpp>

#include <rocksdb/db.h>

#include "store/chain_verifier.h"
#include "store/event_codec.h"
#include "support/store_backends.h"
#include "event_builders.h"

using namespace benefitd::store;
using benefitd::testing::append_to;
using benefitd::testing::make_event;
using benefitd::testing::RocksDbBackend;

namespace {

// Opens the store's RocksDB directly and gives `tamper` its "events" column family.
void with_raw_events(const std::filesystem::path& path,
                     const std::function<void(rocksdb::DB&, rocksdb::ColumnFamilyHandle*)>& tamper) {
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path.string(), &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), path.string(), descriptors, &handles, &db).ok());
  const auto events = std::find(names.begin(), names.end(), "events") - names.begin();
  tamper(*db, handles[events]);
  for (auto* handle : handles) REQUIRE(db->DestroyColumnFamilyHandle(handle).ok());
  REQUIRE(db->Close().ok());
  delete db;
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

// Eight events over three streams, positions 1..8.
void fill(EventStore& store) {
  for (int i = 1; i <= 8; ++i) {
    const std::string stream = "benefit-" + std::to_string(i % 3);
    REQUIRE(store.append(append_to(stream, ExpectedVersion::any(),
                                   {make_event("E", "{\"n\":" + std::to_string(i) + "}")}))
                .status.is_ok());
  }
}

VerifyReport verify_after(RocksDbBackend& backend,
                          const std::function<void(rocksdb::DB&, rocksdb::ColumnFamilyHandle*)>& tamper) {
  backend.store.reset();
  with_raw_events(backend.dir.path() / "db", tamper);
  backend.reopen();
  return verify_chain(*backend.store);
}

}  // namespace

TEST_CASE("R-ENG-6 verification reports a flipped byte anywhere in an event", "[store][tamper]") {
  RocksDbBackend backend;
  fill(*backend.store);
  REQUIRE(verify_chain(*backend.store).ok);

  std::string original;
  backend.store.reset();
  with_raw_events(backend.dir.path() / "db",
                  [&](rocksdb::DB& db, auto* events) { original = raw_event(db, events, 5); });
  // Every fourth byte covers each field of the record, its hashes included.
  for (std::size_t offset = 0; offset < original.size(); offset += 4) {
    INFO("offset " << offset << " of " << original.size());
    const VerifyReport report = verify_after(backend, [&](rocksdb::DB& db, auto* events) {
      std::string changed = original;
      changed[offset] = static_cast<char>(changed[offset] ^ 0x01);
      put_raw(db, events, 5, changed);
    });
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_position == 5);
  }
  verify_after(backend, [&](rocksdb::DB& db, auto* events) { put_raw(db, events, 5, original); });
  CHECK(verify_chain(*backend.store).ok);
}

TEST_CASE("R-ENG-6 verification reports a removed event", "[store][tamper]") {
  RocksDbBackend backend;
  fill(*backend.store);

  SECTION("from the middle of the log") {
    const VerifyReport report = verify_after(backend, [](rocksdb::DB& db, auto* events) {
      REQUIRE(db.Delete(rocksdb::WriteOptions(), events, encode_big_endian(4)).ok());
    });
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_position == 4);
  }
  SECTION("at the end of the log") {
    const VerifyReport report = verify_after(backend, [](rocksdb::DB& db, auto* events) {
      REQUIRE(db.Delete(rocksdb::WriteOptions(), events, encode_big_endian(8)).ok());
    });
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_position == 8);
  }
}

TEST_CASE("R-ENG-6 verification reports two swapped events", "[store][tamper]") {
  RocksDbBackend backend;
  fill(*backend.store);

  SECTION("of different streams") {
    const VerifyReport report = verify_after(backend, [](rocksdb::DB& db, auto* events) {
      const std::string third = raw_event(db, events, 3);
      const std::string fourth = raw_event(db, events, 4);
      put_raw(db, events, 3, fourth);
      put_raw(db, events, 4, third);
    });
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_position == 3);
  }
  SECTION("of one stream, rewritten with their positions swapped too") {
    // Positions 2 and 5 both belong to benefit-2: an intruder who also rewrites the positions
    // inside the records still breaks the stream's chain.
    const VerifyReport report = verify_after(backend, [](rocksdb::DB& db, auto* events) {
      RecordedEvent second;
      RecordedEvent fifth;
      REQUIRE(decode_event(raw_event(db, events, 2), &second).is_ok());
      REQUIRE(decode_event(raw_event(db, events, 5), &fifth).is_ok());
      std::swap(second.position, fifth.position);
      put_raw(db, events, 2, encode_event(fifth));
      put_raw(db, events, 5, encode_event(second));
    });
    CHECK_FALSE(report.ok);
    CHECK(report.first_bad_position == 2);
  }
}
