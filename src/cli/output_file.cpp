#include "cli/output_file.hpp"

#include "usbexfil/error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
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

} // namespace

OutputTarget::OutputTarget(std::string path) : path_(std::move(path)), fd_(STDOUT_FILENO) {
  if (path_.empty()) {
    return;
  }
  const std::filesystem::path target(path_);
  const std::filesystem::path folder =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  temp_ = (folder / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  fd_ = ::mkstemp(temp_.data());
  if (fd_ < 0) {
    throw Error(fmt::format("{}: cannot create a temporary file in {}: {}", path_, folder.string(),
                            std::strerror(errno)));
  }
  const mode_t mask = ::umask(0); // mkstemp makes 0600; give the file the usual 0666 & ~umask
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
}

OutputTarget::~OutputTarget() {
  if (!temp_.empty()) {
    ::close(fd_);
    ::unlink(temp_.c_str());
  }
}

void OutputTarget::write(std::string_view data) {
  if (!write_all(fd_, data)) {
    throw Error(path_.empty()
                    ? fmt::format("cannot write to standard output: {}", std::strerror(errno))
                    : fmt::format("{}: cannot write: {}", path_, std::strerror(errno)));
  }
}

void OutputTarget::commit() {
  if (temp_.empty()) {
    return;
  }
  const bool synced = ::fsync(fd_) == 0;
  const int saved = errno;
  const bool closed = ::close(fd_) == 0;
  if (!synced || !closed) {
    ::unlink(temp_.c_str());
    temp_.clear();
    throw Error(fmt::format("{}: cannot write: {}", path_, std::strerror(synced ? errno : saved)));
  }
  const std::string temp = std::exchange(temp_, {});
  if (std::rename(temp.c_str(), path_.c_str()) != 0) {
    const int rename_error = errno;
    ::unlink(temp.c_str());
    throw Error(fmt::format("{}: cannot replace: {}", path_, std::strerror(rename_error)));
  }
}

} // namespace usbexfil::cli
