// The cheap first look at a raw line, before any JSON parsing.
//
// A JSON string value spells an ASCII letter either as itself or as a `\u` escape; no other
// escape produces a letter. So a line whose raw bytes contain none of the needles (the
// ActionType values a loader keeps) and no `\u` escape cannot hold any of them as a decoded
// string: it is skipped unparsed. A `\u` preceded by another backslash (`\\users` in a path) is
// an escaped backslash followed by `u`, not an escape, and does not count.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace usbexfil {

/// What the raw bytes of a line say about the needles.
enum class RawMatch {
  none,   ///< no needle and no `\u` escape: the line cannot hold a needle as a string value
  needle, ///< a needle occurs, and the line has no `\u` escape anywhere
  escape, ///< the line has a `\u` escape (a needle may be spelled with it)
};

/// Searches lines for a few needles and `\u` escapes in one SIMD pass.
class RawPrefilter {
public:
  /// Needles must be at least 2 bytes long.
  explicit RawPrefilter(const std::vector<std::string> &needles);

  /// `line` must have LINE_PADDING (128) readable bytes after its end, as the scanner gives.
  RawMatch scan(std::string_view line) const;

private:
  /// Needles that share the SIMD test: first byte, and the byte `span - 1` bytes later.
  struct Group {
    char first;
    char last;
    std::size_t span; ///< min(needle length, 32)
    std::vector<std::string> needles;
  };
  bool any_needle_at(std::string_view line, std::size_t pos) const;
  std::vector<Group> groups_;
};

/// The raw test for "the line holds one of these values as a string", for lines without `\u`
/// escapes: such a line holds `"` followed by the value's raw text, and so by its first 8 bytes.
/// For each quote of the line, the next 8 bytes are looked up in a small hash table of the
/// values' 8-byte prefixes: the cost grows with the line's quotes, not with the number of values.
class PrefixSpotter {
public:
  /// None when some value is shorter than 8 bytes or has a byte JSON may escape (`"`, `\`, `/`,
  /// a control byte) in its first 8 bytes: its raw text could then differ.
  static std::optional<PrefixSpotter> make(const std::vector<std::string_view> &values);

  /// False when no value can be in the line. `line` must have LINE_PADDING readable bytes after
  /// its end.
  bool spot(std::string_view line) const;

private:
  explicit PrefixSpotter(std::size_t slots)
      : table_(slots, 0), shift_(64 - std::countr_zero(slots)) {}
  bool contains(std::uint64_t prefix) const;
  void insert(std::uint64_t prefix);
  std::size_t slot(std::uint64_t prefix) const {
    return static_cast<std::size_t>((prefix * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  std::vector<std::uint64_t> table_; ///< open addressing; 0 marks an empty slot
  int shift_;
  /// The values' first bytes as nibble tables: byte c is one iff
  /// (low_[c & 15] & high_[c >> 4]) != 0. Exact for bytes below 0x80 (8 high nibbles, 8 bits).
  /// Each 16-byte table is repeated 4 times, as a 64-byte SIMD shuffle wants it.
  alignas(64) std::array<std::uint8_t, 64> low_{};
  alignas(64) std::array<std::uint8_t, 64> high_{};
};

} // namespace usbexfil
