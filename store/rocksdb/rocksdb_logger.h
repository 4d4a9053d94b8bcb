#pragma once
// RocksDB's diagnostic log (its "info log"), sent to spdlog instead of the LOG file RocksDB
// writes in the store's directory by default.
//
// Why: on a full disk RocksDB's own LOG file fails like any other file, and RocksDB 7.8 (as
// Debian builds it, with assertions on) aborts the process the next time it logs through a
// writer that has failed once (`WritableFileWriter::AssertFalseAndGetStatusForPrevError`).
// Logging the error that reports the full disk is what trips it. Sent to spdlog, the messages
// go where the server's own go (stderr, the journal) and never touch the data disk.
//
// RocksDB's informational chatter (every flush and compaction) is logged at debug; its
// warnings and errors at warn and error, except the warnings about what the store does on
// purpose (table files ingested without RocksDB's unique id), at debug.
//
// Thread safety: RocksDB calls it from any of its threads; spdlog's default logger is
// thread-safe.

#include <memory>

namespace rocksdb {
class Logger;
}

namespace benefitd::store {

/// A logger for DBOptions::info_log.
std::shared_ptr<rocksdb::Logger> make_rocksdb_logger();

}  // namespace benefitd::store
