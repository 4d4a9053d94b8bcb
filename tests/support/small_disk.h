#pragma once
// SmallDisk: a tmpfs of a few MiB mounted on a fresh directory, for tests of a full disk; and a
// ballast file that takes most of it, so a test can fill the disk quickly and free space at a
// moment of its choosing. Unmounted when the object goes. Needs root (mount(2)), as
// scripts/test runs; anything else throws, so that such a test fails rather than passing empty.
//
// Not thread-safe; one owner.

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

#include "support/temp_dir.h"

namespace benefitd::testing {

class SmallDisk {
 public:
  explicit SmallDisk(std::size_t mebibytes) : mount_point_(directory_.path() / "disk") {
    std::filesystem::create_directories(mount_point_);
    const std::string options = "size=" + std::to_string(mebibytes) + "m,mode=0700";
    if (::mount("tmpfs", mount_point_.c_str(), "tmpfs", 0, options.c_str()) != 0) {
      throw std::runtime_error("cannot mount a tmpfs for the full-disk test (run as root): " +
                               std::string(std::strerror(errno)));
    }
  }
  ~SmallDisk() { ::umount2(mount_point_.c_str(), MNT_DETACH); }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  const std::filesystem::path& path() const { return mount_point_; }

  /// Writes a ballast file of `mebibytes` (fails if the disk has no room for it).
  void add_ballast(std::size_t mebibytes) {
    std::ofstream ballast(ballast_path(), std::ios::binary);
    const std::string mebibyte(std::size_t{1} << 20, 'b');
    for (std::size_t i = 0; i < mebibytes; ++i) ballast << mebibyte;
    ballast.flush();
    if (!ballast) throw std::runtime_error("the ballast does not fit on the small disk");
  }
  /// Writes a ballast that leaves about `mebibytes` free.
  void fill_leaving(std::size_t mebibytes) {
    const auto free_bytes = std::filesystem::space(mount_point_).available;
    const std::size_t free_mebibytes = free_bytes >> 20;
    if (free_mebibytes > mebibytes) add_ballast(free_mebibytes - mebibytes);
  }
  /// Frees the ballast's space.
  void remove_ballast() { std::filesystem::remove(ballast_path()); }

 private:
  std::filesystem::path ballast_path() const { return mount_point_ / "ballast"; }

  TempDir directory_;
  std::filesystem::path mount_point_;
};

}  // namespace benefitd::testing
