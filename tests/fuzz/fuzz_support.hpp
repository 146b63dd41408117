// Helpers shared by the libFuzzer targets (docs/fuzzing.md): a byte stream over memory that
// hands out a few bytes a read, a scratch file the targets that read files rewrite for every
// input, and a check that aborts (libFuzzer then keeps the input as a crash).
#pragma once

#include "load/byte_stream.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace usbexfil::fuzz {

/// Fails the run: prints what did not hold and aborts (libFuzzer saves the input).
[[noreturn]] inline void fail(const char *what, const std::string &detail = {}) {
  std::fprintf(stderr, "fuzz check failed: %s\n%s\n", what, detail.c_str());
  std::abort();
}

/// `FUZZ_CHECK(condition, what[, detail])`: fails with `what` and `detail` unless `condition`.
#define FUZZ_CHECK(condition, ...)                                                                 \
  do {                                                                                             \
    if (!(condition)) {                                                                            \
      ::usbexfil::fuzz::fail(__VA_ARGS__);                                                         \
    }                                                                                              \
  } while (false)

/// A stream over a string, handing out at most `step` bytes a read.
class StringStream final : public ByteStream {
public:
  explicit StringStream(std::string bytes, std::size_t step = std::size_t{1} << 20)
      : bytes_(std::move(bytes)), step_(std::max<std::size_t>(step, 1)) {}
  std::size_t read(char *out, std::size_t size) override {
    const std::size_t count = std::min({size, step_, bytes_.size() - at_});
    bytes_.copy(out, count, at_);
    at_ += count;
    return count;
  }

private:
  std::string bytes_;
  std::size_t step_;
  std::size_t at_ = 0;
};

/// A file of this process under $TMPDIR (else /tmp), removed at exit; `write` replaces its
/// content. One per target: libFuzzer runs inputs one after another in a process.
class ScratchFile {
public:
  explicit ScratchFile(std::string_view name) {
    const char *tmp = std::getenv("TMPDIR");
    path_ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/usbexfil-fuzz-" +
            std::to_string(::getpid()) + "-" + std::string(name);
  }
  ~ScratchFile() { std::remove(path_.c_str()); }
  ScratchFile(const ScratchFile &) = delete;
  ScratchFile &operator=(const ScratchFile &) = delete;

  const std::string &write(std::string_view content) const {
    std::FILE *file = std::fopen(path_.c_str(), "wb");
    if (file == nullptr || std::fwrite(content.data(), 1, content.size(), file) != content.size() ||
        std::fclose(file) != 0) {
      fail("cannot write the scratch file", path_);
    }
    return path_;
  }
  const std::string &path() const { return path_; }

private:
  std::string path_;
};

/// Reads `stream` to its end or to `cap` bytes, `step` bytes a read.
inline std::string read_capped(ByteStream &stream, std::size_t cap, std::size_t step) {
  std::string out;
  std::string buffer(std::max<std::size_t>(step, 1), '\0');
  while (out.size() < cap) {
    const std::size_t want = std::min(buffer.size(), cap - out.size());
    const std::size_t got = stream.read(buffer.data(), want);
    if (got == 0) {
      break;
    }
    FUZZ_CHECK(got <= want, "a read returned more than asked");
    out.append(buffer.data(), got);
  }
  return out;
}

} // namespace usbexfil::fuzz
