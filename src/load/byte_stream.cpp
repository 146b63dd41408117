#include "load/byte_stream.hpp"
#include "usbexfil/load/progress.hpp"

#include "usbexfil/error.hpp"

#include <bzlib.h>
#include <fmt/format.h>
#include <isa-l/igzip_lib.h>
#include <lzma.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace usbexfil {

std::string_view compression_name(Compression compression) {
  switch (compression) {
  case Compression::none:
    return "none";
  case Compression::gzip:
    return "gzip";
  case Compression::zstd:
    return "zstd";
  case Compression::bzip2:
    return "bzip2";
  case Compression::xz:
    return "xz";
  }
  return "none";
}

Compression sniff_compression(std::string_view head) {
  const auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  if (starts("\x1f\x8b")) {
    return Compression::gzip;
  }
  if (starts("\x28\xb5\x2f\xfd")) {
    return Compression::zstd;
  }
  if (head.size() >= 10 && starts("BZh") && head[3] >= '1' && head[3] <= '9' &&
      head.substr(4, 6) == "\x31\x41\x59\x26\x53\x59") {
    return Compression::bzip2;
  }
  if (starts(std::string_view("\xfd\x37\x7a\x58\x5a\x00", 6))) {
    return Compression::xz;
  }
  return Compression::none;
}

std::string read_all(ByteStream &stream) {
  std::string out;
  char buffer[1 << 16];
  for (std::size_t got; (got = stream.read(buffer, sizeof buffer)) > 0;) {
    out.append(buffer, got);
  }
  return out;
}

namespace {

/// Reads a descriptor to its end. A regular file that ends before the size it had when the
/// stream was made (less what lay before the descriptor's offset then) shrank during the run:
/// truncated, or rewritten in place. Its end is a fault, not the end of its records, as for
/// files read by chunks (line_scanner.cpp's PlainFile). A file that grows is read to its end.
/// (A pseudo-file whose size the kernel does not report, as in /proc, says 0 and is never
/// checked; sysfs files, which say 4096 whatever they hold, are no exports.)
class FdStream final : public ByteStream {
public:
  FdStream(int fd, std::string label) : fd_(fd), label_(std::move(label)) {
    struct stat info {};
    const off_t offset = ::lseek(fd, 0, SEEK_CUR);
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && offset >= 0 && offset <= info.st_size) {
      expected_ = static_cast<std::uint64_t>(info.st_size - offset);
    }
  }
  std::size_t read(char *out, std::size_t size) override {
    for (;;) {
      const ssize_t got = ::read(fd_, out, size);
      if (got >= 0) {
        read_ += static_cast<std::uint64_t>(got);
        if (got == 0 && size > 0 && read_ < expected_) {
          throw Error(fmt::format("{}: cannot read: file shrank while reading ({} of {} bytes)",
                                  label_, read_, expected_));
        }
        progress::count(static_cast<std::uint64_t>(got));
        return static_cast<std::size_t>(got);
      }
      if (errno != EINTR) {
        throw Error(fmt::format("{}: cannot read: {}", label_, std::strerror(errno)));
      }
    }
  }

private:
  int fd_;
  std::string label_;
  std::uint64_t expected_ = 0; ///< bytes a regular file held from the offset on; 0 otherwise
  std::uint64_t read_ = 0;
};

/// Input bytes of a decoder, refilled from the stream below.
class InputWindow {
public:
  explicit InputWindow(std::unique_ptr<ByteStream> inner) : inner_(std::move(inner)) {}

  /// Makes at least `want` bytes available if the stream below has them; false at its end
  /// with fewer.
  bool fill(std::size_t want = 1) {
    while (size() < want && !eof_) {
      if (begin_ > 0) {
        std::memmove(bytes_.data(), bytes_.data() + begin_, size());
        end_ -= begin_;
        begin_ = 0;
      }
      const std::size_t got =
          inner_->read(reinterpret_cast<char *>(bytes_.data()) + end_, bytes_.size() - end_);
      eof_ = got == 0;
      end_ += got;
    }
    return size() >= want;
  }
  unsigned char *data() { return bytes_.data() + begin_; }
  std::size_t size() const { return end_ - begin_; }
  void consume(std::size_t count) { begin_ += count; }
  bool at_end() const { return eof_ && size() == 0; }
  /// The fault of the stream below, if it ended early.
  const std::string &inner_fault() const { return inner_->fault(); }

private:
  std::unique_ptr<ByteStream> inner_;
  std::vector<unsigned char> bytes_ = std::vector<unsigned char>(std::size_t{256} << 10);
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
};

/// What decoders share: the input window, the end state and the fault.
class Decoder : public ByteStream {
public:
  explicit Decoder(std::unique_ptr<ByteStream> inner) : in_(std::move(inner)) {}

protected:
  /// Ends the stream with a fault; a fault of the stream below comes first.
  std::size_t fail(const std::string &message) {
    done_ = true;
    fault_ = in_.inner_fault().empty() ? message : in_.inner_fault();
    return 0;
  }
  /// Ends the stream; it ended cleanly unless the stream below had a fault.
  std::size_t finish() {
    done_ = true;
    fault_ = in_.inner_fault();
    return 0;
  }
  InputWindow in_;
  bool done_ = false;
};

/// gzip with ISA-L's inflater (the fastest here, inputs D5): member after member.
class GzipStream final : public Decoder {
public:
  explicit GzipStream(std::unique_ptr<ByteStream> inner) : Decoder(std::move(inner)) {
    isal_inflate_init(&state_);
  }
  std::size_t read(char *out, std::size_t size) override {
    while (!done_) {
      if (at_member_start_ && !start_member()) {
        return 0;
      }
      if (state_.avail_in == 0) {
        in_.consume(consumed());
        window_ = 0;
        if (!in_.fill()) {
          // The input ends inside a member. The inflater may still hold bytes it decoded (it
          // keeps some when the reads asked of it are small): hand them out before the fault,
          // so that what comes before the cut does not depend on read sizes.
          state_.next_in = in_.data();
          state_.next_out = reinterpret_cast<std::uint8_t *>(out);
          state_.avail_out = static_cast<std::uint32_t>(std::min<std::size_t>(size, UINT32_MAX));
          const int status = isal_inflate(&state_);
          const std::size_t held = std::min<std::size_t>(size, UINT32_MAX) - state_.avail_out;
          if (status >= 0 && held > 0) {
            return held;
          }
          return fail("truncated gzip stream");
        }
        state_.next_in = in_.data();
        state_.avail_in = static_cast<std::uint32_t>(std::min<std::size_t>(in_.size(), UINT32_MAX));
        window_ = state_.avail_in;
      }
      state_.next_out = reinterpret_cast<std::uint8_t *>(out);
      state_.avail_out = static_cast<std::uint32_t>(std::min<std::size_t>(size, UINT32_MAX));
      const int status = isal_inflate(&state_);
      const std::size_t produced = std::min<std::size_t>(size, UINT32_MAX) - state_.avail_out;
      if (status < 0) {
        fail(status == ISAL_INCORRECT_CHECKSUM ? "gzip checksum mismatch (corrupt data)"
                                               : "corrupt gzip data");
        // The bytes of a call that met invalid data are not trusted (the inflater may write
        // ahead of the code it rejects; which bytes depended on where the input was cut). A bad
        // checksum comes after the member's data, which decoded by the rules, so those stay.
        return status == ISAL_INCORRECT_CHECKSUM ? produced : 0;
      }
      if (state_.block_state == ISAL_BLOCK_FINISH) {
        at_member_start_ = true;
      }
      if (produced > 0) {
        return produced;
      }
    }
    return 0;
  }

private:
  std::size_t consumed() const { return window_ - state_.avail_in; }
  /// At a member boundary: the next bytes start another member, or the stream ends.
  bool start_member() {
    in_.consume(consumed());
    window_ = 0;
    state_.avail_in = 0;
    if (!in_.fill(2)) {
      if (in_.size() == 0 && seen_member_) {
        finish();
      } else {
        fail(seen_member_ ? "bytes after the last gzip member" : "truncated gzip stream");
      }
      return false;
    }
    if (in_.data()[0] != 0x1f || in_.data()[1] != 0x8b) {
      fail("bytes after the last gzip member");
      return false;
    }
    isal_inflate_reset(&state_);
    state_.crc_flag = ISAL_GZIP;
    state_.next_in = in_.data();
    state_.avail_in = static_cast<std::uint32_t>(std::min<std::size_t>(in_.size(), UINT32_MAX));
    window_ = state_.avail_in;
    at_member_start_ = false;
    seen_member_ = true;
    return true;
  }
  inflate_state state_{};
  std::size_t window_ = 0; ///< bytes of the window handed to the inflater
  bool at_member_start_ = true;
  bool seen_member_ = false;
};

class ZstdStream final : public Decoder {
public:
  explicit ZstdStream(std::unique_ptr<ByteStream> inner)
      : Decoder(std::move(inner)), context_(ZSTD_createDCtx()) {}
  ~ZstdStream() override { ZSTD_freeDCtx(context_); }
  std::size_t read(char *out, std::size_t size) override {
    while (!done_) {
      if (in_.size() == 0 && !in_.fill()) {
        return frame_open_ ? fail("truncated zstd stream") : finish();
      }
      ZSTD_inBuffer input{in_.data(), in_.size(), 0};
      ZSTD_outBuffer output{out, size, 0};
      const std::size_t status = ZSTD_decompressStream(context_, &output, &input);
      in_.consume(input.pos);
      if (ZSTD_isError(status)) {
        fail(fmt::format("corrupt zstd data ({})", ZSTD_getErrorName(status)));
        return output.pos;
      }
      frame_open_ = status != 0;
      if (output.pos > 0) {
        return output.pos;
      }
    }
    return 0;
  }

private:
  ZSTD_DCtx *context_;
  bool frame_open_ = true;
};

class Bzip2Stream final : public Decoder {
public:
  explicit Bzip2Stream(std::unique_ptr<ByteStream> inner) : Decoder(std::move(inner)) {}
  ~Bzip2Stream() override {
    if (open_) {
      BZ2_bzDecompressEnd(&state_);
    }
  }
  std::size_t read(char *out, std::size_t size) override {
    while (!done_) {
      if (!open_ && !start_stream()) {
        return 0;
      }
      if (in_.size() == 0 && !in_.fill()) {
        return fail("truncated bzip2 stream");
      }
      state_.next_in = reinterpret_cast<char *>(in_.data());
      state_.avail_in = static_cast<unsigned>(std::min<std::size_t>(in_.size(), UINT32_MAX));
      state_.next_out = out;
      state_.avail_out = static_cast<unsigned>(std::min<std::size_t>(size, UINT32_MAX));
      const unsigned before = state_.avail_in;
      const int status = BZ2_bzDecompress(&state_);
      in_.consume(before - state_.avail_in);
      const std::size_t produced = std::min<std::size_t>(size, UINT32_MAX) - state_.avail_out;
      if (status == BZ_STREAM_END) {
        BZ2_bzDecompressEnd(&state_);
        open_ = false;
      } else if (status != BZ_OK) {
        fail("corrupt bzip2 data");
        return produced;
      }
      if (produced > 0) {
        return produced;
      }
    }
    return 0;
  }

private:
  bool start_stream() {
    if (!in_.fill(10)) { // an empty stream is 14 bytes, a header and block magic 10
      if (in_.size() == 0 && seen_stream_) {
        finish();
      } else {
        fail(seen_stream_ ? "bytes after the last bzip2 stream" : "truncated bzip2 stream");
      }
      return false;
    }
    const std::string_view head(reinterpret_cast<const char *>(in_.data()), 10);
    // A later stream may also be an empty one (its end-of-stream magic right after the header).
    const bool empty_stream = head.starts_with("BZh") && head[3] >= '1' && head[3] <= '9' &&
                              head.substr(4, 6) == "\x17\x72\x45\x38\x50\x90";
    if (sniff_compression(head) != Compression::bzip2 && !(seen_stream_ && empty_stream)) {
      fail("bytes after the last bzip2 stream");
      return false;
    }
    state_ = bz_stream{};
    if (BZ2_bzDecompressInit(&state_, 0, 0) != BZ_OK) {
      fail("cannot start the bzip2 decoder");
      return false;
    }
    open_ = true;
    seen_stream_ = true;
    return true;
  }
  bz_stream state_{};
  bool open_ = false;
  bool seen_stream_ = false;
};

class XzStream final : public Decoder {
public:
  explicit XzStream(std::unique_ptr<ByteStream> inner) : Decoder(std::move(inner)) {
    if (lzma_stream_decoder(&state_, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
      fail("cannot start the xz decoder");
    }
  }
  ~XzStream() override { lzma_end(&state_); }
  std::size_t read(char *out, std::size_t size) override {
    while (!done_) {
      const bool more = in_.size() > 0 || in_.fill();
      state_.next_in = in_.data();
      state_.avail_in = in_.size();
      state_.next_out = reinterpret_cast<std::uint8_t *>(out);
      state_.avail_out = size;
      const lzma_ret status = lzma_code(&state_, more ? LZMA_RUN : LZMA_FINISH);
      in_.consume(in_.size() - state_.avail_in);
      const std::size_t produced = size - state_.avail_out;
      if (status == LZMA_STREAM_END) {
        finish();
        return produced;
      }
      if (status != LZMA_OK) {
        fail(status == LZMA_BUF_ERROR      ? "truncated xz stream"
             : status == LZMA_FORMAT_ERROR ? "bytes after the last xz stream"
                                           : "corrupt xz data");
        return produced;
      }
      if (produced > 0) {
        return produced;
      }
    }
    return 0;
  }

private:
  lzma_stream state_ = LZMA_STREAM_INIT;
};

/// UTF-16 to UTF-8 (D36): an odd byte count or an unpaired surrogate ends the stream with a
/// fault, after the text decoded before it.
class Utf16Stream final : public Decoder {
public:
  Utf16Stream(std::unique_ptr<ByteStream> inner, bool little_endian)
      : Decoder(std::move(inner)), little_(little_endian) {}
  std::size_t read(char *out, std::size_t size) override {
    std::size_t produced = 0;
    // A character decoded for an earlier read shorter than it.
    while (pending_used_ < pending_size_ && produced < size) {
      out[produced++] = pending_[pending_used_++];
    }
    while (!done_ && produced + 4 <= size) {
      const std::size_t n = decode_one(out + produced);
      if (n == 0) {
        break;
      }
      produced += n;
    }
    // A read of fewer than 4 bytes still makes progress: 0 would mean the end of the text.
    if (produced == 0 && size > 0 && !done_) {
      pending_size_ = decode_one(pending_);
      pending_used_ = 0;
      while (pending_used_ < pending_size_ && produced < size) {
        out[produced++] = pending_[pending_used_++];
      }
    }
    return produced;
  }

private:
  /// Decodes one character into `out` (4 bytes of room); 0 at the end of the text or a fault.
  std::size_t decode_one(char *out) {
    if (!in_.fill(2)) {
      if (in_.size() == 1) {
        fail("odd number of bytes in UTF-16 text");
      } else {
        finish();
      }
      return 0;
    }
    const std::uint32_t unit = take();
    std::uint32_t code = unit;
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      fail("unpaired surrogate in UTF-16 text");
      return 0;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (!in_.fill(2) || peek() < 0xDC00 || peek() > 0xDFFF) {
        fail(in_.size() == 1 ? "odd number of bytes in UTF-16 text"
                             : "unpaired surrogate in UTF-16 text");
        return 0;
      }
      code = 0x10000 + ((unit - 0xD800) << 10) + (take() - 0xDC00);
    }
    return encode(code, out);
  }

  std::uint32_t peek() const {
    const unsigned char *bytes = const_cast<InputWindow &>(in_).data();
    return little_ ? bytes[0] | (bytes[1] << 8) : (bytes[0] << 8) | bytes[1];
  }
  std::uint32_t take() {
    const std::uint32_t unit = peek();
    in_.consume(2);
    return unit;
  }
  static std::size_t encode(std::uint32_t code, char *out) {
    const auto byte = [](std::uint32_t value) { return static_cast<char>(value); };
    if (code < 0x80) {
      out[0] = byte(code);
      return 1;
    }
    if (code < 0x800) {
      out[0] = byte(0xC0 | (code >> 6));
      out[1] = byte(0x80 | (code & 0x3F));
      return 2;
    }
    if (code < 0x10000) {
      out[0] = byte(0xE0 | (code >> 12));
      out[1] = byte(0x80 | ((code >> 6) & 0x3F));
      out[2] = byte(0x80 | (code & 0x3F));
      return 3;
    }
    out[0] = byte(0xF0 | (code >> 18));
    out[1] = byte(0x80 | ((code >> 12) & 0x3F));
    out[2] = byte(0x80 | ((code >> 6) & 0x3F));
    out[3] = byte(0x80 | (code & 0x3F));
    return 4;
  }
  bool little_;
  char pending_[4] = {};
  std::size_t pending_size_ = 0;
  std::size_t pending_used_ = 0;
};

} // namespace

namespace {

class OwnedFdStream final : public ByteStream {
public:
  OwnedFdStream(int fd, std::string label) : fd_(fd), inner_(fd, std::move(label)) {}
  ~OwnedFdStream() override { ::close(fd_); }
  OwnedFdStream(const OwnedFdStream &) = delete;
  OwnedFdStream &operator=(const OwnedFdStream &) = delete;
  std::size_t read(char *out, std::size_t size) override { return inner_.read(out, size); }

private:
  int fd_;
  FdStream inner_;
};

} // namespace

std::unique_ptr<ByteStream> open_file_stream(const std::string &path, std::string label) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(fmt::format("{}: cannot open: {}", label, std::strerror(errno)));
  }
  return std::make_unique<OwnedFdStream>(fd, std::move(label));
}

std::unique_ptr<ByteStream> open_fd_stream(int fd, std::string label) {
  return std::make_unique<FdStream>(fd, std::move(label));
}

std::string_view PeekStream::peek(std::size_t size) {
  while (head_.size() - head_used_ < size && !inner_done_) {
    char buffer[4096];
    const std::size_t got = inner_->read(buffer, sizeof buffer);
    inner_done_ = got == 0;
    head_.append(buffer, got);
  }
  const std::string_view head = std::string_view(head_).substr(head_used_);
  return head.substr(0, std::min(size, head.size()));
}

std::size_t PeekStream::read(char *out, std::size_t size) {
  if (head_used_ < head_.size()) {
    const std::size_t count = std::min(size, head_.size() - head_used_);
    std::memcpy(out, head_.data() + head_used_, count);
    head_used_ += count;
    return count;
  }
  if (inner_done_) {
    fault_ = inner_->fault();
    return 0;
  }
  const std::size_t got = inner_->read(out, size);
  if (got == 0) {
    inner_done_ = true;
    fault_ = inner_->fault();
  }
  return got;
}

std::unique_ptr<ByteStream> open_decompressor(Compression compression,
                                              std::unique_ptr<ByteStream> inner) {
  switch (compression) {
  case Compression::gzip:
    return std::make_unique<GzipStream>(std::move(inner));
  case Compression::zstd:
    return std::make_unique<ZstdStream>(std::move(inner));
  case Compression::bzip2:
    return std::make_unique<Bzip2Stream>(std::move(inner));
  case Compression::xz:
    return std::make_unique<XzStream>(std::move(inner));
  case Compression::none:
    break;
  }
  return inner;
}

std::unique_ptr<ByteStream> open_utf16_decoder(std::unique_ptr<ByteStream> inner,
                                               bool little_endian) {
  return std::make_unique<Utf16Stream>(std::move(inner), little_endian);
}

} // namespace usbexfil
