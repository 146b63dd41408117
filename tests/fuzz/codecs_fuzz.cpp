// Fuzz target: the codec wrappers (src/load/byte_stream.cpp, open_content in record_stream.cpp):
// arbitrary bytes are sniffed and decoded (gzip by ISA-L, zstd, bzip2, xz, UTF-16), and also fed
// to each decompressor behind its own magic bytes. Checks: never a crash, a hang or unbounded
// memory (at most CAP bytes are read from a stream, however much it would inflate to: a
// decompression bomb is cut there); a read never returns more than asked; differential: the
// decoded bytes (up to CAP) and the fault do not depend on how many bytes each read asks for or
// how many the stream below hands out (before a fault: up to the shorter, see `same`).
#include "fuzz_support.hpp"
#include "load/record_stream.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

using namespace usbexfil;

namespace {

constexpr std::size_t CAP = std::size_t{1} << 20;

struct Decoded {
  std::string text;
  std::string fault;
  bool ended = false; ///< the stream ended before CAP
};

Decoded decode_content(const std::string &bytes, std::size_t inner_step, std::size_t read_step) {
  OpenedContent content = open_content(std::make_unique<fuzz::StringStream>(bytes, inner_step));
  Decoded decoded;
  decoded.text = fuzz::read_capped(*content.stream, CAP, read_step);
  decoded.ended = decoded.text.size() < CAP;
  if (decoded.ended) {
    decoded.fault = content.stream->fault();
  }
  return decoded;
}

Decoded decode_with(Compression compression, const std::string &bytes, std::size_t inner_step,
                    std::size_t read_step) {
  auto stream =
      open_decompressor(compression, std::make_unique<fuzz::StringStream>(bytes, inner_step));
  Decoded decoded;
  decoded.text = fuzz::read_capped(*stream, CAP, read_step);
  decoded.ended = decoded.text.size() < CAP;
  if (decoded.ended) {
    decoded.fault = stream->fault();
  }
  return decoded;
}

/// Two reads of one stream agree: the same bytes and fault; where a fault cuts the stream, how
/// much is delivered before the decoder notices depends on its buffers (inputs.md, "Known
/// limits"): then a fault both ways, and the bytes of one a prefix of the other's. Which check
/// of a damaged stream fires first (a bad code, or the checksum at its end) depends on the same
/// buffers, so the fault's wording may differ; that it is reported may not.
void same(const Decoded &a, const Decoded &b, const char *what) {
  const std::string detail = std::to_string(a.text.size()) + " bytes, fault '" + a.fault + "' | " +
                             std::to_string(b.text.size()) + " bytes, fault '" + b.fault + "'";
  FUZZ_CHECK(a.fault.empty() == b.fault.empty(), what, detail);
  if (a.fault.empty()) {
    FUZZ_CHECK(a.text == b.text, what, "decoded bytes differ: " + detail);
  } else {
    const std::size_t shorter = std::min(a.text.size(), b.text.size());
    FUZZ_CHECK(a.text.compare(0, shorter, b.text, 0, shorter) == 0, what,
               "decoded bytes before the fault differ: " + detail);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::uint8_t flags = data[0];
  const std::string bytes(reinterpret_cast<const char *>(data) + 1, size - 1);
  const std::size_t inner_step = std::size_t{1} + (flags & 15) * 5;        // 1 .. 76
  const std::size_t read_step = std::size_t{1} + ((flags >> 4) & 15) * 11; // 1 .. 166

  // As a file's bytes: whatever the magic says (or plain text, UTF-16, an archive's bytes).
  same(decode_content(bytes, std::size_t{1} << 20, std::size_t{1} << 16),
       decode_content(bytes, inner_step, read_step), "open_content");

  // Behind each decompressor's own magic, so that every decoder sees every input.
  static const std::array<std::pair<Compression, std::string_view>, 4> MAGIC = {{
      {Compression::gzip, std::string_view("\x1f\x8b\x08\x00", 4)},
      {Compression::zstd, std::string_view("\x28\xb5\x2f\xfd", 4)},
      {Compression::bzip2, std::string_view("BZh91AY&SY", 10)},
      {Compression::xz, std::string_view("\xfd\x37\x7a\x58\x5a\x00", 6)},
  }};
  const auto &[compression, magic] = MAGIC[(flags >> 2) & 3];
  const std::string stream = bytes.starts_with(magic) ? bytes : std::string(magic) + bytes;
  same(decode_with(compression, stream, std::size_t{1} << 20, std::size_t{1} << 16),
       decode_with(compression, stream, inner_step, read_step),
       std::string(compression_name(compression)).c_str());
  return 0;
}
