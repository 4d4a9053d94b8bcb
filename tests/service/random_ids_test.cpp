// Product keys (R-SW-1), ids and tokens come from the CSPRNG through a buffer per thread: every
// draw is fresh bytes, whichever thread draws and however the draws straddle a refill.

#include <catch2/catch.hpp>

#include <mutex>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "adapters/app/random_ids.h"

using namespace benefitd;

TEST_CASE("R-SW-1: product keys are 25 characters in 5 groups of 5, never repeated") {
  app::RandomIds ids;
  const std::regex shape("[2-9A-HJ-NP-Z]{5}(-[2-9A-HJ-NP-Z]{5}){4}");
  std::set<std::string> keys;
  std::set<char> characters;
  for (int i = 0; i < 2000; ++i) {  // 50,000 random bytes: many refills of the buffer
    const std::string key = ids.productKey();
    REQUIRE(std::regex_match(key, shape));
    REQUIRE(keys.insert(key).second);
    characters.insert(key.begin(), key.end());
  }
  CHECK(characters.size() == 32 + 1);  // the whole alphabet is drawn, and the dash
}

TEST_CASE("Tokens, ids and Access IDs drawn by many threads at once are all distinct") {
  std::mutex mutex;
  std::set<std::string> drawn;
  std::size_t draws = 0;
  std::vector<std::jthread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      app::RandomIds ids;
      std::vector<std::string> mine;
      for (int i = 0; i < 500; ++i) {
        mine.push_back(app::new_token());
        mine.push_back(ids.newId(workflows::IdKind::benefit));
        mine.push_back(ids.accessId());
      }
      std::lock_guard lock(mutex);
      draws += mine.size();
      drawn.insert(mine.begin(), mine.end());
    });
  }
  threads.clear();
  CHECK(draws == 6000);
  CHECK(drawn.size() == draws);
  CHECK(std::regex_match(app::new_token(), std::regex("[0-9a-f]{64}")));
}
