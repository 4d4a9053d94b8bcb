// AggregateRepository: loads replay only what the cache lacks, and a full cache is dropped
// without changing any state a load returns.

#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

#include "engine/aggregate_repository.h"
#include "store/memory_event_store.h"

using namespace benefitd;

namespace {

// The types of a stream's events, in order.
struct Trail {
  std::vector<std::string> types;
};

struct Fixture {
  store::MemoryEventStore store;
  int applied = 0;  // events replayed from the store, over every load

  engine::AggregateRepository<Trail> repository(std::size_t capacity) {
    return engine::AggregateRepository<Trail>(
        store,
        [this](Trail& trail, const store::RecordedEvent& event) {
          ++applied;
          trail.types.push_back(event.event.type);
        },
        capacity);
  }

  void append(const std::string& stream, const std::string& type) {
    store::EventData event;
    event.type = type;
    REQUIRE(store.append({{{stream, store::ExpectedVersion::any(), {event}}}, {}}).status.is_ok());
  }

  Trail load(engine::AggregateRepository<Trail>& repository, const std::string& stream,
             store::Version up_to = std::numeric_limits<store::Version>::max()) {
    engine::AggregateRepository<Trail>::Loaded loaded;
    REQUIRE(repository.load(stream, &loaded, up_to).is_ok());
    return *loaded.state;
  }
};

}  // namespace

TEST_CASE("a cached aggregate loads only the events appended since", "[engine][aggregates]") {
  Fixture f;
  auto repository = f.repository(10);
  f.append("s", "A");
  f.append("s", "B");
  CHECK(f.load(repository, "s").types == std::vector<std::string>{"A", "B"});
  CHECK(f.applied == 2);
  CHECK(f.load(repository, "s").types.size() == 2);
  CHECK(f.applied == 2);  // nothing new: nothing replayed
  f.append("s", "C");
  CHECK(f.load(repository, "s").types == std::vector<std::string>{"A", "B", "C"});
  CHECK(f.applied == 3);
  CHECK(f.load(repository, "s", 1).types == std::vector<std::string>{"A"});
  CHECK(repository.cached_at("s", 3).has_value());
  CHECK_FALSE(repository.cached_at("s", 2).has_value());
}

TEST_CASE("a full cache is dropped and loads read the store again, to the same states", "[engine][aggregates]") {
  Fixture f;
  auto repository = f.repository(2);
  for (const char* stream : {"a", "b", "c"}) {
    f.append(stream, std::string("1") + stream);
    f.append(stream, std::string("2") + stream);
  }
  for (const char* stream : {"a", "b", "c"}) f.load(repository, stream);
  CHECK(f.applied == 6);
  // The third aggregate found the cache full: only it is cached now.
  CHECK_FALSE(repository.cached_at("a", 2).has_value());
  CHECK(repository.cached_at("c", 2).has_value());
  CHECK(f.load(repository, "a").types == std::vector<std::string>{"1a", "2a"});
  CHECK(f.applied == 8);
  CHECK(f.load(repository, "c").types == std::vector<std::string>{"1c", "2c"});
  CHECK(f.applied == 8);
}
