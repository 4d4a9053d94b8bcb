#pragma once
// ClientLink: what a long read knows of the connection that asked for it. The HTTP session
// tells it when the connection closes and how many bytes of answers wait there to be sent; the
// long-read queue (long_read_queue.h) reads it to drop reads whose answer nobody will receive
// and to hold back reads that would only pile more answers onto a client that does not read.
//
// Thread safety: every method may be called from any thread. The listener runs on the thread
// that changed the link, with no lock of the link held.

#include <cstddef>
#include <functional>
#include <mutex>

namespace benefitd::app {

/// Bytes of answers a connection may hold waiting to be sent before its further long reads
/// wait for them to go out.
inline constexpr std::size_t kClientAnswerBudget = std::size_t{4} << 20;

class ClientLink {
 public:
  explicit ClientLink(std::size_t answer_budget = kClientAnswerBudget) : budget_(answer_budget) {}

  // ---- the connection's side ----

  /// The connection closed: whatever it asked for and was not answered is abandoned.
  void closed();
  /// `bytes` of answers are ready and not yet sent; `sending` when the first of them can go out
  /// now (no earlier request of the connection is still unanswered).
  void answers_held(std::size_t bytes, bool sending);

  // ---- the reader's side ----

  /// The connection closed.
  bool gone() const;
  /// Over budget, and the connection is sending: a further answer would only wait behind the
  /// others. Never true while the connection waits for an earlier answer, so a read that is
  /// held back never holds up the answers it waits for.
  bool saturated() const;
  /// Runs `listener` after every change (replacing any earlier listener).
  void on_change(std::function<void()> listener);

 private:
  void changed(std::unique_lock<std::mutex> lock);

  const std::size_t budget_;
  mutable std::mutex mutex_;
  bool gone_ = false;
  bool sending_ = false;
  std::size_t held_ = 0;
  std::function<void()> listener_;
};

}  // namespace benefitd::app
