// Commit announcements: what a PostgreSQL store's commit tells the other processes sharing the
// store, so that a node wakes only the long-polls of the view keys another node wrote
// (R-ENG-10 across nodes). Pure: payloads made and read back.

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "store/postgres/commit_announcement.h"

using benefitd::store::postgres::announcement_payloads;
using benefitd::store::postgres::CommitAnnouncement;
using benefitd::store::postgres::kMaxAnnouncedKeyBytes;
using benefitd::store::postgres::kMaxPayloadBytes;
using benefitd::store::postgres::parse_announcement;

namespace {

/// Every payload read back: the position and writer they share, and the union of their keys
/// (nullopt if any says "not said").
CommitAnnouncement read_back(const std::vector<std::string>& payloads) {
  REQUIRE_FALSE(payloads.empty());
  CommitAnnouncement whole;
  whole.view_keys.emplace();
  for (const std::string& payload : payloads) {
    CHECK(payload.size() < kMaxPayloadBytes);
    const auto part = parse_announcement(payload);
    REQUIRE(part);
    whole.position = part->position;
    whole.writer = part->writer;
    if (!part->view_keys) {
      whole.view_keys.reset();
      break;
    }
    whole.view_keys->insert(whole.view_keys->end(), part->view_keys->begin(), part->view_keys->end());
  }
  return whole;
}

}  // namespace

TEST_CASE("R-ENG-10 a commit announces its position, its writer and the view keys it wrote, each once",
          "[store][postgres][announcement]") {
  const std::vector<std::string> keys = {"benefit/b-1", "log/p-1/", "log/p-1/", "package/k-1"};
  const auto payloads = announcement_payloads(42, "0a1b", &keys);
  REQUIRE(payloads.size() == 1);
  const auto read = read_back(payloads);
  CHECK(read.position == 42);
  CHECK(read.writer == "0a1b");
  REQUIRE(read.view_keys);
  CHECK(*read.view_keys == std::vector<std::string>{"benefit/b-1", "log/p-1/", "package/k-1"});

  // A commit that wrote no view says so: it wakes no long-poll of a key.
  const std::vector<std::string> none;
  const auto nothing = read_back(announcement_payloads(43, "0a1b", &none));
  REQUIRE(nothing.view_keys);
  CHECK(nothing.view_keys->empty());
}

TEST_CASE("R-ENG-10 keys beyond one payload are split over several, every key in one of them",
          "[store][postgres][announcement]") {
  std::vector<std::string> keys;
  for (int i = 0; i < 2000; ++i) keys.push_back("benefit/" + std::to_string(100000 + i));
  const auto payloads = announcement_payloads(7, "ff", &keys);
  CHECK(payloads.size() > 1);
  const auto read = read_back(payloads);
  CHECK(read.position == 7);
  REQUIRE(read.view_keys);
  CHECK(std::set<std::string>(read.view_keys->begin(), read.view_keys->end()) ==
        std::set<std::string>(keys.begin(), keys.end()));
  CHECK(read.view_keys->size() == keys.size());
}

TEST_CASE("R-ENG-10 a commit whose keys cannot be said announces that any view may have changed",
          "[store][postgres][announcement]") {
  SECTION("not known (a table cleared)") {
    CHECK_FALSE(read_back(announcement_payloads(5, "ab", nullptr)).view_keys);
  }
  SECTION("a key a text line cannot carry") {
    const std::vector<std::string> keys = {"benefit/a", std::string("log/p/\x01\x02", 8), "x\ny"};
    CHECK_FALSE(read_back(announcement_payloads(5, "ab", &keys)).view_keys);
  }
  SECTION("more key bytes than a node should read") {
    std::vector<std::string> keys;
    for (std::size_t bytes = 0; bytes <= kMaxAnnouncedKeyBytes; bytes += 32) {
      keys.push_back("benefit/" + std::string(24 - std::to_string(bytes).size(), '0') + std::to_string(bytes));
    }
    const auto payloads = announcement_payloads(5, "ab", &keys);
    CHECK(payloads.size() == 1);
    CHECK_FALSE(read_back(payloads).view_keys);
  }
}

TEST_CASE("R-ENG-10 an older writer's announcement, a bare position, says no keys, and anything else is not one",
          "[store][postgres][announcement]") {
  const auto older = parse_announcement("1234");
  REQUIRE(older);
  CHECK(older->position == 1234);
  CHECK(older->writer.empty());
  CHECK_FALSE(older->view_keys);

  for (const char* foreign : {"", "hello", "12 ab", "12 ab none", "12  keys", "x12 ab all", "12 ab all\nk", "12\nk",
                              "-3 ab all", "99999999999999999999 ab all"}) {
    INFO(foreign);
    CHECK_FALSE(parse_announcement(foreign));
  }
}
