#include "cli/output_file.hpp"

#include "usbexfil/error.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace usbexfil::cli {
namespace {

// Writes all of `data` to `fd`; false with errno set on failure.
bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

/// Where the findings for `path` (not empty) go, decided the same way by the constructor and
/// by `check`. Where the path already names something, symbolic links are looked through: a
/// regular file is replaced where it lies (the link keeps pointing at it); anything else — a
/// device such as /dev/null, a FIFO, a terminal — is written in place, never renamed over.
struct Destination {
  bool in_place = false;        ///< an existing non-regular file, opened and written as is
  std::filesystem::path target; ///< the file to replace (when not in place)
  std::filesystem::path folder; ///< where the temporary file is made
};

Destination destination(const std::string &path) {
  Destination where;
  std::error_code error;
  where.target = path;
  const std::filesystem::file_status status = std::filesystem::status(where.target, error);
  if (std::filesystem::exists(status)) {
    if (std::filesystem::is_directory(status)) {
      throw Error(fmt::format("{}: is a directory", path));
    }
    if (!std::filesystem::is_regular_file(status)) {
      where.in_place = true;
      return where;
    }
    const std::filesystem::path resolved = std::filesystem::canonical(where.target, error);
    if (!error) {
      where.target = resolved;
    }
  }
  where.folder =
      where.target.has_parent_path() ? where.target.parent_path() : std::filesystem::path(".");
  return where;
}

/// The temporary files that exist, for the signal handler: fixed slots, filled and emptied
/// outside the handler, read in it (unlink is async-signal-safe; a lock-free atomic flag says
/// whether a slot's path is complete).
struct TemporaryFileSlot {
  std::atomic<bool> used{false};
  char path[4096] = {};
};
constexpr std::size_t TEMPORARY_FILE_SLOTS = 16;
TemporaryFileSlot temporary_files[TEMPORARY_FILE_SLOTS];

int register_temporary_file(const std::string &path) {
  if (path.size() >= sizeof TemporaryFileSlot::path) {
    return -1;
  }
  for (std::size_t i = 0; i < TEMPORARY_FILE_SLOTS; ++i) {
    TemporaryFileSlot &slot = temporary_files[i];
    if (!slot.used.load(std::memory_order_acquire)) {
      std::memcpy(slot.path, path.c_str(), path.size() + 1);
      slot.used.store(true, std::memory_order_release);
      return static_cast<int>(i);
    }
  }
  return -1;
}

void unregister_temporary_file(int &slot) {
  if (slot >= 0) {
    temporary_files[slot].used.store(false, std::memory_order_release);
    slot = -1;
  }
}

extern "C" void remove_temporary_files_and_die(int signal_number) {
  for (TemporaryFileSlot &slot : temporary_files) {
    if (slot.used.load(std::memory_order_acquire)) {
      ::unlink(slot.path);
    }
  }
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

std::string cannot_create(const std::string &path, const std::filesystem::path &folder) {
  return fmt::format("{}: cannot create a temporary file in {}: {}", path, folder.string(),
                     std::strerror(errno));
}

} // namespace

OutputTarget::OutputTarget(std::string path) : path_(std::move(path)), fd_(STDOUT_FILENO) {
  if (path_.empty()) {
    return;
  }
  const Destination where = destination(path_);
  if (where.in_place) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) {
      throw Error(fmt::format("{}: cannot open: {}", path_, std::strerror(errno)));
    }
    direct_ = true;
    return;
  }
  replace_ = where.target.string();
  temp_ = (where.folder / ("." + where.target.filename().string() + ".tmp-XXXXXX")).string();
  fd_ = ::mkstemp(temp_.data());
  if (fd_ < 0) {
    throw Error(cannot_create(path_, where.folder));
  }
  slot_ = register_temporary_file(temp_);
  const mode_t mask = ::umask(0); // mkstemp makes 0600; give the file the usual 0666 & ~umask
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
}

void remove_temporary_files_on_signals() {
  struct sigaction action {};
  action.sa_handler = remove_temporary_files_and_die;
  sigemptyset(&action.sa_mask);
  for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction previous {};
    // A signal ignored by whoever started the run (nohup, a shell's background job) stays so.
    if (::sigaction(signal_number, nullptr, &previous) == 0 && previous.sa_handler != SIG_IGN) {
      ::sigaction(signal_number, &action, nullptr);
    }
  }
}

void OutputTarget::check(const std::string &path) {
  if (path.empty()) {
    return;
  }
  const Destination where = destination(path);
  if (where.in_place) {
    if (::access(path.c_str(), W_OK) != 0) {
      throw Error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    }
  } else if (::access(where.folder.c_str(), W_OK | X_OK) != 0) {
    throw Error(cannot_create(path, where.folder));
  }
}

OutputTarget::~OutputTarget() {
  if (direct_) {
    ::close(fd_);
  } else if (!temp_.empty()) {
    ::close(fd_);
    ::unlink(temp_.c_str());
  }
  unregister_temporary_file(slot_);
}

void OutputTarget::write(std::string_view data) {
  if (!write_all(fd_, data)) {
    if (path_.empty() && errno == EPIPE) {
      throw BrokenPipe{};
    }
    throw Error(path_.empty()
                    ? fmt::format("cannot write to standard output: {}", std::strerror(errno))
                    : fmt::format("{}: cannot write: {}", path_, std::strerror(errno)));
  }
}

void OutputTarget::commit() {
  if (direct_) {
    direct_ = false;
    if (::close(fd_) != 0) {
      throw Error(fmt::format("{}: cannot write: {}", path_, std::strerror(errno)));
    }
    return;
  }
  if (temp_.empty()) {
    return;
  }
  const bool synced = ::fsync(fd_) == 0;
  const int saved = errno;
  const bool closed = ::close(fd_) == 0;
  if (!synced || !closed) {
    ::unlink(temp_.c_str());
    temp_.clear();
    unregister_temporary_file(slot_);
    throw Error(fmt::format("{}: cannot write: {}", path_, std::strerror(synced ? errno : saved)));
  }
  const std::string temp = std::exchange(temp_, {});
  const bool renamed = std::rename(temp.c_str(), replace_.c_str()) == 0;
  const int rename_error = errno;
  unregister_temporary_file(slot_); // after the rename: a signal before it still cleans up
  if (!renamed) {
    ::unlink(temp.c_str());
    throw Error(fmt::format("{}: cannot replace: {}", path_, std::strerror(rename_error)));
  }
}

} // namespace usbexfil::cli
