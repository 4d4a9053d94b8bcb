#pragma once
// How many client connections benefitd may hold open. Every connection is a file descriptor,
// and so is every file the store opens: the connections get what the process's open-file
// limit leaves once a reserve for the store (RocksDB's tables and logs, the spool) is set
// aside, so that a crowd of clients can never starve the store of descriptors.
// Thread safety: call once at start, before any thread is started.

#include <cstddef>
#include <cstdint>

namespace benefitd::http {

struct OpenFileLimit {
  std::uint64_t before = 0;  // the soft limit benefitd started with
  std::uint64_t now = 0;     // the soft limit in effect
};

/// Raises the soft RLIMIT_NOFILE to the hard limit (the kernel's per-process maximum when the
/// hard limit is unlimited). When raising fails, the limit stays as it was.
OpenFileLimit raise_open_file_limit();

/// Descriptors kept out of the connections' reach for the store: an eighth of `open_files`,
/// and never fewer than 64.
std::uint64_t store_descriptor_reserve(std::uint64_t open_files);

/// The connections to allow: `requested`, but no more than `open_files` less the store's
/// reserve, and at least 1.
std::size_t connection_cap(std::size_t requested, std::uint64_t open_files);

}  // namespace benefitd::http
