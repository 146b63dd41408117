// The cheap first look at a raw line, before any JSON parsing.
//
// A JSON string value spells an ASCII letter either as itself or as a `\u` escape; no other
// escape produces a letter. So a line whose raw bytes contain none of the needles (the
// ActionType values a loader keeps) and no `\u` escape cannot hold any of them as a decoded
// string: it is skipped unparsed. A `\u` preceded by another backslash (`\\users` in a path) is
// an escaped backslash followed by `u`, not an escape, and does not count.
#pragma once

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

} // namespace usbexfil
