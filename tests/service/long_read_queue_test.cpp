// The long-read queue: fair between queues, drops reads of clients that left, holds back reads
// of clients that leave their answers unread. Each test blocks the queue's thread with a first
// read, queues what it needs while that one waits, then releases it: the order reads then run
// in is decided by the queue alone, never by timing.
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/app/long_read_queue.h"

using namespace benefitd::app;

namespace {

constexpr auto kPatience = std::chrono::seconds(30);

/// Records the reads that ran, in order; wait_for() waits until `count` have.
class Runs {
 public:
  std::function<void()> read(std::string name) {
    return [this, name = std::move(name)] {
      std::lock_guard lock(mutex_);
      names_.push_back(name);
      changed_.notify_all();
    };
  }
  std::vector<std::string> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, kPatience, [&] { return names_.size() >= count; });
    return names_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> names_;
};

/// Holds the queue's thread in a first read until release().
class Gate {
 public:
  void hold(LongReadQueue& queue, const std::string& queue_name) {
    std::promise<void> started;
    queue.push({queue_name, nullptr, [&started, opened = opened_.get_future().share()] {
                  started.set_value();
                  opened.wait();
                }});
    started.get_future().wait();
  }
  void release() { opened_.set_value(); }

 private:
  std::promise<void> opened_;
};

}  // namespace

TEST_CASE("Hostile clients: a partner's long read runs while another partner has many queued",
          "[service][long-reads]") {
  LongReadQueue queue;
  Runs runs;
  Gate gate;
  gate.hold(queue, "partner:A");
  for (int i = 0; i < 100; ++i) queue.push({"partner:A", nullptr, runs.read("A" + std::to_string(i))});
  queue.push({"partner:B", nullptr, runs.read("B")});
  queue.push({"operator", nullptr, runs.read("operator")});
  gate.release();

  const std::vector<std::string> order = runs.wait_for(102);
  REQUIRE(order.size() == 102);
  // A was served last (the gate), so the other queues come first, in turn after A, then A's
  // reads in order.
  CHECK(order[0] == "B");
  CHECK(order[1] == "operator");
  for (int i = 0; i < 100; ++i) CHECK(order[2 + i] == "A" + std::to_string(i));
  CHECK(queue.counts().run == 103);
}

TEST_CASE("Hostile clients: queues take turns, one read each", "[service][long-reads]") {
  LongReadQueue queue;
  Runs runs;
  Gate gate;
  gate.hold(queue, "z");
  for (int i = 0; i < 3; ++i) queue.push({"a", nullptr, runs.read("a" + std::to_string(i))});
  for (int i = 0; i < 2; ++i) queue.push({"b", nullptr, runs.read("b" + std::to_string(i))});
  gate.release();
  CHECK(runs.wait_for(5) == std::vector<std::string>{"a0", "b0", "a1", "b1", "a2"});
}

TEST_CASE("Hostile clients: long reads of a closed connection are dropped unrun", "[service][long-reads]") {
  LongReadQueue queue;
  Runs runs;
  Gate gate;
  gate.hold(queue, "partner:A");
  const auto gone = std::make_shared<ClientLink>();
  const auto present = std::make_shared<ClientLink>();
  for (int i = 0; i < 16; ++i) queue.push({"partner:A", gone, runs.read("gone")});
  queue.push({"partner:A", present, runs.read("present")});
  gone->closed();
  gate.release();

  CHECK(runs.wait_for(1) == std::vector<std::string>{"present"});
  const LongReadQueue::Counts counts = queue.counts();
  CHECK(counts.dropped == 16);
  CHECK(counts.run == 2);  // the gate and the present client's read
}

TEST_CASE("Hostile clients: a connection holding unsent answers over its budget gets no further long read until they go",
          "[service][long-reads]") {
  LongReadQueue queue;
  Runs runs;
  Gate gate;
  gate.hold(queue, "partner:A");
  const auto hoarder = std::make_shared<ClientLink>(1000);
  const auto reader = std::make_shared<ClientLink>(1000);
  hoarder->answers_held(5000, true);  // an answer over the budget is being sent
  queue.push({"partner:A", hoarder, runs.read("hoarder")});
  queue.push({"partner:A", reader, runs.read("reader")});
  gate.release();

  // The other connection's read, behind it in the same queue, goes ahead.
  CHECK(runs.wait_for(1) == std::vector<std::string>{"reader"});
  CHECK(queue.counts().run == 2);
  SECTION("the answers go out: the held read runs") {
    hoarder->answers_held(0, false);
    CHECK(runs.wait_for(2) == std::vector<std::string>{"reader", "hoarder"});
  }
  SECTION("answers over the budget that wait behind an unanswered request do not hold it back") {
    hoarder->answers_held(5000, false);
    CHECK(runs.wait_for(2) == std::vector<std::string>{"reader", "hoarder"});
  }
  SECTION("the connection closes: the held read is dropped") {
    hoarder->closed();
    queue.push({"partner:A", reader, runs.read("after")});
    CHECK(runs.wait_for(2) == std::vector<std::string>{"reader", "after"});
    CHECK(queue.counts().dropped == 1);
  }
}
