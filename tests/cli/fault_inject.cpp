// A preload library for fault tests (tests/cli/fault_test.sh): it makes the system calls of a
// usbexfil run fail the way a full disk, a failing disk or a shrinking file makes them fail, for
// the files named in the environment, and passes everything else through.
//
//   USBEXFIL_FAULT_WRITE=SUBSTRING:ERRNO  write() to a file whose path holds SUBSTRING fails
//                                         with ERRNO (ENOSPC or EIO)
//   USBEXFIL_FAULT_SHRINK=SUBSTRING:BYTES read() and pread() of a file whose path holds
//                                         SUBSTRING find its end at BYTES, as if it had been
//                                         truncated there after it was opened (fstat still says
//                                         the old size)
//
// The path of a descriptor is read from /proc/self/fd; the tests only, never the product.
#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

struct Fault {
  std::string substring;
  std::string value;
};

Fault fault_from(const char *name) {
  const char *text = std::getenv(name);
  if (text == nullptr) {
    return {};
  }
  const std::string_view spec(text);
  const std::size_t colon = spec.rfind(':');
  if (colon == std::string_view::npos) {
    return {};
  }
  return {std::string(spec.substr(0, colon)), std::string(spec.substr(colon + 1))};
}

bool path_holds(int fd, const std::string &substring) {
  if (substring.empty()) {
    return false;
  }
  char link[64];
  char path[4096];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t size = ::readlink(link, path, sizeof path - 1);
  return size > 0 && std::string_view(path, static_cast<std::size_t>(size)).find(substring) !=
                         std::string_view::npos;
}

template <class Function> Function next(const char *name) {
  return reinterpret_cast<Function>(::dlsym(RTLD_NEXT, name));
}

using WriteFunction = ssize_t (*)(int, const void *, std::size_t);
using PreadFunction = ssize_t (*)(int, void *, std::size_t, off_t);
using ReadFunction = ssize_t (*)(int, void *, std::size_t);

const Fault &shrink_fault() {
  static const Fault shrink = fault_from("USBEXFIL_FAULT_SHRINK");
  return shrink;
}

ssize_t faulty_pread(PreadFunction real, int fd, void *buffer, std::size_t count, off_t offset) {
  const Fault &shrink = shrink_fault();
  if (path_holds(fd, shrink.substring)) {
    const auto end = static_cast<off_t>(std::strtoll(shrink.value.c_str(), nullptr, 10));
    if (offset >= end) {
      return 0;
    }
    count = std::min(count, static_cast<std::size_t>(end - offset));
  }
  return real(fd, buffer, count, offset);
}

} // namespace

extern "C" ssize_t write(int fd, const void *buffer, std::size_t count) {
  static const auto real = next<WriteFunction>("write");
  static const Fault fault = fault_from("USBEXFIL_FAULT_WRITE");
  if (count > 0 && path_holds(fd, fault.substring)) {
    errno = fault.value == "EIO" ? EIO : ENOSPC;
    return -1;
  }
  return real(fd, buffer, count);
}

extern "C" ssize_t read(int fd, void *buffer, std::size_t count) {
  static const auto real = next<ReadFunction>("read");
  const Fault &shrink = shrink_fault();
  if (path_holds(fd, shrink.substring)) {
    const auto end = static_cast<off_t>(std::strtoll(shrink.value.c_str(), nullptr, 10));
    const off_t offset = ::lseek(fd, 0, SEEK_CUR);
    if (offset >= end) {
      return 0;
    }
    count = std::min(count, static_cast<std::size_t>(end - offset));
  }
  return real(fd, buffer, count);
}

extern "C" ssize_t pread(int fd, void *buffer, std::size_t count, off_t offset) {
  static const auto real = next<PreadFunction>("pread");
  return faulty_pread(real, fd, buffer, count, offset);
}

// off_t is 64 bits on x86-64, the only target (the same type as off64_t there).
static_assert(sizeof(off_t) == 8);
extern "C" ssize_t pread64(int fd, void *buffer, std::size_t count, off_t offset) {
  static const auto real = next<PreadFunction>("pread64");
  return faulty_pread(real, fd, buffer, count, offset);
}
