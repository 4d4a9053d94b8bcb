// The disk's floor for one durable writer: small writes each followed by fdatasync, appended to
// a growing file (what RocksDB's write-ahead log does) against overwriting a file whose blocks
// are already written (what PostgreSQL's preallocated WAL segments do: the sync then has no
// file size or block allocation to record). Explains the store's single-writer latency against
// the peer's; docs/benchmarks.md, "peer".

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr std::size_t kRecordBytes = 300;  // about one appended event with its index entries

class File {
 public:
  explicit File(const std::filesystem::path& path) : fd_(::open(path.c_str(), O_CREAT | O_TRUNC | O_RDWR, 0644)) {
    if (fd_ < 0) throw std::runtime_error("cannot create " + path.string());
  }
  ~File() { ::close(fd_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  void write_all(const char* bytes, std::size_t size) {
    while (size > 0) {
      const ssize_t written = ::write(fd_, bytes, size);
      if (written < 0) throw std::runtime_error("write failed");
      bytes += written;
      size -= static_cast<std::size_t>(written);
    }
  }
  void sync() {
    if (::fdatasync(fd_) != 0) throw std::runtime_error("fdatasync failed");
  }
  void rewind() {
    if (::lseek(fd_, 0, SEEK_SET) != 0) throw std::runtime_error("lseek failed");
  }

 private:
  int fd_;
};

// Synced writes per second of `records` records to `file` from where it stands.
double synced_writes_per_second(File& file, long records) {
  const std::vector<char> record(kRecordBytes, 'x');
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < records; ++i) {
    file.write_all(record.data(), record.size());
    file.sync();
  }
  return static_cast<double>(records) / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  long records = 5000;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "benefitd-disk-bench";
  CLI::App app("synced small writes: appending to a growing file vs overwriting written blocks");
  app.add_option("--records", records, "synced writes per run")->check(CLI::PositiveNumber);
  app.add_option("--dir", dir, "scratch directory (on the disk to measure; emptied first)");
  CLI11_PARSE(app, argc, argv);

  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  double growing = 0;
  double overwriting = 0;
  {
    File file(dir / "growing");
    growing = synced_writes_per_second(file, records);
  }
  {
    File file(dir / "written");
    const std::vector<char> zeros(1 << 20, '\0');
    for (std::size_t written = 0; written < static_cast<std::size_t>(records) * kRecordBytes; written += zeros.size()) {
      file.write_all(zeros.data(), zeros.size());
    }
    file.sync();
    file.rewind();
    overwriting = synced_writes_per_second(file, records);
  }
  std::filesystem::remove_all(dir);

  std::printf("%-40s %14s %12s\n", "300-byte write + fdatasync", "writes/s", "ms each");
  std::printf("%-40s %14.0f %12.3f\n", "appending to a growing file (baseline)", growing, 1000 / growing);
  std::printf("%-40s %14.0f %12.3f\n", "overwriting already written blocks", overwriting, 1000 / overwriting);
  std::printf("overwriting / appending: %.2f\n", overwriting / growing);
  return 0;
}
