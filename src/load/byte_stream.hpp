// Byte streams (inputs.md section 2): a file, standard input or an archive member, decoded from
// gzip, zstd, bzip2 or xz as its first bytes say (D5), and UTF-16 transcoded to UTF-8 (D36).
// Each layer is a ByteStream reading from the one below; `open_decoded` stacks them after
// sniffing. A stream never knows what its bytes mean: framing (JSON lines, sequences, CSV) and
// records come later (record_stream.hpp).
//
// Errors: a read(2) failure is fatal (Error); a corrupt or truncated compressed stream, bytes
// after the last member or frame, or an odd UTF-16 byte count is a *fault*: the stream ends at
// it (what was decoded before is delivered) and `fault()` says what went wrong, for the reader
// to report as one data error naming the file (D6, D36).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace usbexfil {

/// A compression layer recognised by its first bytes (D5).
enum class Compression { none, gzip, zstd, bzip2, xz };

/// The name of a compression for messages ("gzip"; "none").
std::string_view compression_name(Compression compression);

/// The compression whose magic bytes `head` starts with (the first 10 bytes are enough).
Compression sniff_compression(std::string_view head);

/// A source of bytes read front to back.
class ByteStream {
public:
  virtual ~ByteStream() = default;
  /// Reads up to `size` bytes into `out`; 0 only at the end (or at a fault). Throws Error when
  /// the underlying file cannot be read.
  virtual std::size_t read(char *out, std::size_t size) = 0;
  /// Why the stream ended early; empty when it ended cleanly (or has not ended).
  const std::string &fault() const { return fault_; }

protected:
  std::string fault_;
};

/// Opens and reads the file at `path` (closed with the stream); throws Error if it cannot.
std::unique_ptr<ByteStream> open_file_stream(const std::string &path, std::string label);

/// Reads a file descriptor (not owned) named `label` in messages.
std::unique_ptr<ByteStream> open_fd_stream(int fd, std::string label);

/// A stream whose first bytes can be looked at before they are read.
class PeekStream final : public ByteStream {
public:
  explicit PeekStream(std::unique_ptr<ByteStream> inner) : inner_(std::move(inner)) {}
  /// Up to `size` first bytes (fewer at the end of the stream); does not consume them.
  std::string_view peek(std::size_t size);
  std::size_t read(char *out, std::size_t size) override;
  /// The fault of the stream below.
  const std::string &inner_fault() const { return inner_->fault(); }

private:
  std::unique_ptr<ByteStream> inner_;
  std::string head_;
  std::size_t head_used_ = 0;
  bool inner_done_ = false;
};

/// A decompressing stream over `inner` (which must start with `compression`'s magic).
std::unique_ptr<ByteStream> open_decompressor(Compression compression,
                                              std::unique_ptr<ByteStream> inner);

/// A UTF-16 (little endian when `little_endian`) to UTF-8 transcoder over `inner`, whose byte
/// order mark has been read already.
std::unique_ptr<ByteStream> open_utf16_decoder(std::unique_ptr<ByteStream> inner,
                                               bool little_endian);

/// Reads all of `stream` into a string (tests, small inputs).
std::string read_all(ByteStream &stream);

} // namespace usbexfil
