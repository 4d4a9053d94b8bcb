#pragma once
// ViewWriter: the view changes of one write, readable before they commit.
//
// Two writers fill one: the projection runner, a chunk of the log at a time (rebuilds,
// upgrades, catching up), and the command path, which writes the views of a command's events
// in the command's own write (R-ENG-10). Both run the same projection code over it; only where
// an event is in the log differs (LogPlace): a committed event has its position, a command's
// event only its index among the events of the write that will commit it, and rows keyed by
// position are then completed by the store as it commits (store::KeyedWrite::at_event).
//
// Thread safety: none; one writer belongs to one thread. The stored views it reads may be
// read concurrently.

#include <functional>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/event_store.h"

namespace benefitd::engine {

/// Where the event being projected is in the log: its position once committed; before that
/// (position 0), its index among the events of the write that will commit it.
struct LogPlace {
  store::Position position = 0;
  std::size_t index_in_write = 0;
};

class ViewWriter {
 public:
  /// Produces a value when the changes are taken.
  using Render = std::function<std::string()>;

  /// `earlier_commit`, if valid, is the commit of the runner's chunk before, still in flight:
  /// reads of stored views wait for it (and fail with it).
  explicit ViewWriter(const store::EventStore& store, std::shared_future<store::Status> earlier_commit = {})
      : store_(&store), earlier_commit_(std::move(earlier_commit)) {}
  /// A writer of a rebuild in bulk: the views it reads are those the rebuild has gathered in
  /// `rebuilt`, not the stored ones it replaces.
  explicit ViewWriter(const store::TableReplacement& rebuilt) : rebuilt_(&rebuilt) {}

  /// The value as these changes left it, else as stored (or as rebuilt).
  store::Status get(std::string_view key, std::optional<std::string>* out) const;
  /// Stored rows with from_key <= key < to_key overlaid with these changes. Not in a rebuild in
  /// bulk (invalid_argument): its rows are read by key only.
  store::Status scan(std::string_view from_key, std::string_view to_key,
                     std::vector<store::KeyValue>* out) const;
  void put(std::string key, std::string value);
  /// Puts a row that no stored row has: its key names something these changes create (a fresh
  /// id). Erased again before the changes are taken, it is left out of them rather than
  /// written as a deletion, which the store would carry through its compactions.
  void put_new(std::string key, std::string value);
  /// Puts what `render` returns, called once when the changes are taken (or on a get of
  /// `key`). A later change of `key` replaces it unrendered: a view that many events change is
  /// rendered once. `render` must own or share what it reads.
  void put_rendered(std::string key, Render render);
  /// Puts `document`, kept as a document until the changes are taken and written as text
  /// then, once: edit_document changes it in place.
  void put_document(std::string key, nlohmann::json document);
  /// Lets `change` edit the JSON document at `key` as these changes left it, else as stored,
  /// else an empty object; the result is kept as by put_document, so a row that several events
  /// of one write edit is parsed at most once and written as text once. Corruption if the row
  /// is not JSON (nothing changes then).
  store::Status edit_document(std::string_view key, const std::function<void(nlohmann::json&)>& change);
  void erase(std::string key);
  /// Puts the row `key_prefix` + store::position_key_suffix(position of the event at `place`).
  /// Rows put before their event has a position are invisible to get and scan.
  void put_at(std::string key_prefix, LogPlace place, std::string value);

  /// The changes as store writes; leaves the writer empty.
  std::vector<store::KeyedWrite> take();

 private:
  struct Change {
    std::optional<std::string> value;  // nullopt with neither render nor document: an erase
    Render render;
    std::optional<nlohmann::json> document;
    bool created = false;  // put_new: no stored row to erase
    std::optional<std::string> resolved() const;
  };

  store::Status await_earlier_commit() const;

  const store::EventStore* store_ = nullptr;        // the views read, unless rebuilt_
  const store::TableReplacement* rebuilt_ = nullptr;
  const std::shared_future<store::Status> earlier_commit_;
  std::map<std::string, Change, std::less<>> pending_;
  std::vector<store::KeyedWrite> positioned_;  // rows whose key the commit completes
};

}  // namespace benefitd::engine
