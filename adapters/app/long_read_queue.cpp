#include "adapters/app/long_read_queue.h"

namespace benefitd::app {

LongReadQueue::LongReadQueue() : state_(std::make_shared<State>()), worker_([this] { work(); }) {}

LongReadQueue::~LongReadQueue() { stop(); }

void LongReadQueue::stop() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  if (worker_.joinable()) worker_.join();
  std::map<std::string, std::deque<LongRead>> rest;
  {
    std::lock_guard lock(state_->mutex);
    rest.swap(state_->queues);
  }
  // Destroyed unlocked: a read's closure may release whatever waits for it.
}

void LongReadQueue::push(LongRead read) {
  if (read.client) {
    read.client->on_change([weak = std::weak_ptr<State>(state_)] {
      const auto state = weak.lock();
      if (!state) return;
      // Taking the lock orders this wake-up after the worker's look at the link, never between
      // that look and its wait.
      { std::lock_guard lock(state->mutex); }
      state->wake.notify_all();
    });
  }
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping) return;  // `read` is destroyed unlocked, on return
    state_->queues[read.queue].push_back(std::move(read));
  }
  state_->wake.notify_all();
}

LongReadQueue::Counts LongReadQueue::counts() const {
  std::lock_guard lock(state_->mutex);
  return state_->counts;
}

std::optional<LongRead> LongReadQueue::next(State& state, std::vector<LongRead>& dropped) {
  auto& queues = state.queues;
  if (queues.empty()) return std::nullopt;
  // The queues after the last one served, then from the start: each gets one read per round.
  auto start = queues.upper_bound(state.last_served);
  const std::size_t queue_count = queues.size();
  for (std::size_t visited = 0; visited < queue_count; ++visited) {
    if (start == queues.end()) start = queues.begin();
    auto& [name, reads] = *start;
    std::optional<LongRead> found;
    for (auto read = reads.begin(); read != reads.end();) {
      if (read->client && read->client->gone()) {
        dropped.push_back(std::move(*read));
        read = reads.erase(read);
      } else if (!found && !(read->client && read->client->saturated())) {
        found = std::move(*read);
        read = reads.erase(read);
      } else {
        ++read;
      }
    }
    if (found) state.last_served = name;
    const auto after = std::next(start);
    if (reads.empty()) queues.erase(start);
    if (found) return found;
    start = after;
  }
  return std::nullopt;
}

void LongReadQueue::work() {
  State& state = *state_;
  for (;;) {
    std::optional<LongRead> read;
    std::vector<LongRead> dropped;
    {
      std::unique_lock lock(state.mutex);
      for (;;) {
        if (state.stopping) return;
        read = next(state, dropped);
        state.counts.dropped += dropped.size();
        if (read || !dropped.empty()) break;
        state.wake.wait(lock);
      }
      if (read) ++state.counts.run;
    }
    dropped.clear();  // unlocked, like the reads themselves
    if (read) read->run();
  }
}

}  // namespace benefitd::app
