// A reusable byte buffer with zeroed padding after its content, so that the lines in it can be
// parsed in place (simdjson and the raw looks read past a line's end). Memory is not
// zero-filled on allocation, and large buffers get huge pages (huge_buffer.hpp); only the
// padding is cleared.
#pragma once

#include "load/huge_buffer.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string_view>

namespace usbexfil {

/// Readable bytes after every line handed to a worker: simdjson needs 64; the raw pre-filter's
/// 64-byte SIMD loads, offset by up to 31 bytes, need 95.
inline constexpr std::size_t LINE_PADDING = 128;

struct PaddedBuffer {
  ByteBuffer bytes;
  std::size_t size = 0;
  std::size_t capacity = 0; ///< content bytes, padding not included

  char *data() { return bytes.get(); }
  const char *data() const { return bytes.get(); }
  std::string_view view() const { return {bytes.get(), size}; }
  /// Makes room for `content` bytes, keeping the current content.
  void reserve(std::size_t content) {
    if (content <= capacity && bytes) {
      return;
    }
    const std::size_t target = std::max(content, capacity * 2); // long lines: amortized growth
    ByteBuffer grown = allocate_bytes(target + LINE_PADDING);
    if (size > 0) {
      std::memcpy(grown.get(), bytes.get(), size);
    }
    bytes = std::move(grown);
    capacity = target;
  }
  void append(std::string_view text) {
    reserve(size + text.size());
    std::memcpy(bytes.get() + size, text.data(), text.size());
    size += text.size();
  }
  void push_back(char c) {
    reserve(size + 1);
    bytes.get()[size++] = c;
  }
  /// Zeroes the padding after `end`, where a parsed range stops.
  void clear_padding_at(std::size_t end) { std::memset(bytes.get() + end, 0, LINE_PADDING); }
};

} // namespace usbexfil
