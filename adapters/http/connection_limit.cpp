#include "adapters/http/connection_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <fstream>

namespace benefitd::http {

namespace {

/// /proc/sys/fs/nr_open: the highest RLIMIT_NOFILE the kernel accepts.
std::uint64_t kernel_open_file_maximum() {
  std::ifstream in("/proc/sys/fs/nr_open");
  std::uint64_t maximum = 0;
  if (in >> maximum) return maximum;
  return 1024 * 1024;  // the kernel's default for nr_open
}

}  // namespace

OpenFileLimit raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return {};
  OpenFileLimit result{limit.rlim_cur, limit.rlim_cur};
  const rlim_t target = limit.rlim_max == RLIM_INFINITY ? kernel_open_file_maximum() : limit.rlim_max;
  if (target <= limit.rlim_cur) return result;
  limit.rlim_cur = target;
  if (::setrlimit(RLIMIT_NOFILE, &limit) == 0) result.now = target;
  return result;
}

std::uint64_t store_descriptor_reserve(std::uint64_t open_files) {
  return std::max<std::uint64_t>(64, open_files / 8);
}

std::size_t connection_cap(std::size_t requested, std::uint64_t open_files) {
  const std::uint64_t reserve = store_descriptor_reserve(open_files);
  const std::uint64_t available = open_files > reserve ? open_files - reserve : 1;
  return static_cast<std::size_t>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(requested, available)));
}

}  // namespace benefitd::http
