#include "cli/output_file.hpp"

#include "usbexfil/error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

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

void write_stdout(std::string_view data) {
  if (!write_all(STDOUT_FILENO, data)) {
    throw Error(fmt::format("cannot write to standard output: {}", std::strerror(errno)));
  }
}

void write_file_atomically(const std::string &path, std::string_view data) {
  const std::filesystem::path target(path);
  const std::filesystem::path folder =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string temp = (folder / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    throw Error(fmt::format("{}: cannot create a temporary file in {}: {}", path, folder.string(),
                            std::strerror(errno)));
  }
  const mode_t mask = ::umask(0); // mkstemp makes 0600; give the file the usual 0666 & ~umask
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  const bool written = write_all(fd, data) && ::fsync(fd) == 0;
  const int saved = errno;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    ::unlink(temp.c_str());
    throw Error(fmt::format("{}: cannot write: {}", path, std::strerror(written ? errno : saved)));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int rename_error = errno;
    ::unlink(temp.c_str());
    throw Error(fmt::format("{}: cannot replace: {}", path, std::strerror(rename_error)));
  }
}

} // namespace usbexfil::cli
