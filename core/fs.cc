#include "core/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>

namespace dragnet {
namespace {

std::string Errno(const std::string& what, const std::string& path) {
  return what + " '" + path + "': " + std::strerror(errno);
}

// All of `data` to `fd`, across short writes and EINTR; false with errno set.
bool WriteFully(int fd, std::string_view data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound(Errno("cannot open", path));
    return IoError(Errno("cannot open", path));
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return IoError("cannot read '" + path + "': is a directory");
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status st = IoError(Errno("cannot read", path));
      ::close(fd);
      return st;
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      ::close(fd);
      return LimitExceeded("file '" + path + "' is larger than " + std::to_string(max_bytes) +
                           " bytes");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status WriteFileAtomic(const std::string& path, std::string_view data, Durability durability) {
  std::filesystem::path p(path);
  std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
  // Unique per call: several threads may write the same content-addressed
  // blob at once (identical bodies); each renames its own complete copy.
  static std::atomic<uint64_t> serial{0};
  std::string tmp = dir + "/." + p.filename().string() + ".tmp" + std::to_string(::getpid()) + "." +
                    std::to_string(serial.fetch_add(1, std::memory_order_relaxed));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError(Errno("cannot create", tmp));
  if (!WriteFully(fd, data)) {
    Status st = IoError(Errno("cannot write", tmp));
    ::close(fd);
    ::unlink(tmp.c_str());
    return st;
  }
  if (durability == Durability::kSync && ::fsync(fd) != 0) {
    Status st = IoError(Errno("cannot fsync", tmp));
    ::close(fd);
    ::unlink(tmp.c_str());
    return st;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status st = IoError(Errno("cannot rename to", path));
    ::unlink(tmp.c_str());
    return st;
  }
  if (durability == Durability::kSync) {
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
  return Status::Ok();
}

Result<bool> CreateFileAtomic(const std::string& path, std::string_view data) {
  std::filesystem::path p(path);
  std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
  int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) {
    // Old kernels and some filesystems (EOPNOTSUPP, EISDIR, EINVAL).
    if (FileExists(path)) return false;
    DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(path, data, Durability::kDeferred));
    return true;
  }
  if (!WriteFully(fd, data)) {
    Status st = IoError(Errno("cannot write a file for", path));
    ::close(fd);
    return st;
  }
  // linkat(AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH; the /proc path does not.
  std::string self = "/proc/self/fd/" + std::to_string(fd);
  int rc = ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW);
  int err = errno;
  ::close(fd);
  if (rc == 0) return true;
  if (err == EEXIST) return false;
  if (err == ENOENT && !FileExists("/proc/self/fd")) {
    DRAGNET_RETURN_IF_ERROR(WriteFileAtomic(path, data, Durability::kDeferred));
    return true;
  }
  errno = err;
  return IoError(Errno("cannot link", path));
}

Status SyncFilesystem(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError(Errno("cannot open", dir));
  int rc = ::syncfs(fd);
  Status st = rc == 0 ? Status::Ok() : IoError(Errno("cannot sync the filesystem of", dir));
  ::close(fd);
  return st;
}

int64_t FileSize(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return -1;
  return static_cast<int64_t>(st.st_size);
}

Status MakeDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return IoError("cannot create directory '" + path + "': " + ec.message());
  return Status::Ok();
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::string InstalledShareDir() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  return (exe.parent_path().parent_path() / "share" / "dragnet").string();
}

}  // namespace dragnet
