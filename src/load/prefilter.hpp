// The cheap first look at a raw line, before any JSON parsing.
//
// A JSON string value spells an ASCII letter either as itself or as a `\u` escape; no other
// escape produces a letter. So a line whose raw bytes contain none of the needles (the
// ActionType values a loader keeps) and no `\u` escape cannot hold any of them as a decoded
// string: it is skipped unparsed. A `\u` preceded by another backslash (`\\users` in a path) is
// an escaped backslash followed by `u`, not an escape, and does not count.
#pragma once

#include "load/line_scanner.hpp"
#include "load/simd/level.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace usbexfil {

/// What the raw bytes of a line say about the needles (and the key, when one is given).
enum class RawMatch {
  none,   ///< the line cannot hold a needle as a string value (or, with a key, cannot hold
          ///< one of its values at that key)
  needle, ///< a needle occurs (and, with a key, a value that may be admitted follows the key),
          ///< and the line has no `\u` escape anywhere
  escape, ///< the line has a `\u` escape (a needle or key may be spelled with it)
};

/// A Bloom filter over strings, in front of an exact set: `may_contain` is false only for a
/// string never inserted. Two probes from a hash of the length and the first and last 8 bytes,
/// into at least 16 bits per value (a few KiB for a few hundred values: stays in L1).
class StringBloom {
public:
  explicit StringBloom(std::size_t values);
  void insert(std::string_view text);
  bool may_contain(std::string_view text) const {
    const std::uint64_t h = hash(text);
    const std::uint64_t first = h & mask_;
    const std::uint64_t second = (h >> 32) & mask_;
    return ((bits_[first >> 6] >> (first & 63)) & (bits_[second >> 6] >> (second & 63)) & 1) != 0;
  }

private:
  static std::uint64_t hash(std::string_view text);
  std::vector<std::uint64_t> bits_;
  std::uint64_t mask_; ///< bit count - 1
};

namespace prefilter_detail {

/// Needles that share the SIMD test: first byte, and the byte `span - 1` bytes later.
struct Group {
  char first;
  char last;
  std::size_t span; ///< min(needle length, 32)
  std::vector<std::string> needles;
};

/// What a RawPrefilter looks for, as its kernels (simd/prefilter_kernel.hpp) read it.
struct PrefilterSpec {
  std::vector<Group> groups;
  /// The key: its name's first and last byte for the SIMD test; one needle, the name and its
  /// closing quote.
  std::optional<Group> key;
  const std::unordered_set<std::string_view> *values = nullptr;
  std::optional<StringBloom> bloom; ///< of `values`
};

/// One instruction set's implementation of RawPrefilter::scan and RawPrefilter::sieve.
struct PrefilterKernel {
  RawMatch (*scan)(const PrefilterSpec &spec, std::string_view line);
  void (*sieve)(const PrefilterSpec &spec, const char *begin, const char *end, SievedLines &out);
};

/// The kernel for `level`, which must be simd::supported.
const PrefilterKernel &prefilter_kernel(simd::Level level);

} // namespace prefilter_detail

/// Searches lines for a few needles, a key and `\u` escapes in one SIMD pass.
///
/// The key test: in a line without `\u` escapes, an object member named `key` is spelled
/// `"key"`, then optional whitespace, `:`, optional whitespace and its value. For each such
/// place (at any depth; the top-level member is one of them) the raw value is looked at: a
/// string without backslashes is its own decoded text and is looked up in `values`; `null`
/// reads as the empty string; a string with a backslash or a value of another type is "maybe". When
/// no place says "maybe", the row's value at `key` is not in `values` (or the key is absent), and
/// the line is skipped.
class RawPrefilter {
public:
  /// Needles must be at least 2 bytes long. `values` (may be null: no key test) must outlive
  /// the filter; the key test is dropped when `values` holds the empty string (an absent key
  /// reads as empty). `level` picks the kernel (tests run each one); it must be supported.
  explicit RawPrefilter(const std::vector<std::string> &needles, std::string_view key = {},
                        const std::unordered_set<std::string_view> *values = nullptr,
                        simd::Level level = simd::active());

  /// `line` must have LINE_PADDING (128) readable bytes after its end, as the scanner gives.
  RawMatch scan(std::string_view line) const { return kernel_->scan(spec_, line); }

  /// The whole-range form of the same test, for a scanner: one SIMD pass over `[begin, end)`
  /// (whole lines, LINE_PADDING readable bytes after `end`) that finds newlines, `\u` escapes
  /// and an anchor together, and keeps only the lines holding a genuine `\u` escape or an
  /// anchor: with a key test, a place where the key may hold an admitted value; without one,
  /// a needle. Every other line is one `scan` says `none` to. Like ripgrep with a literal, it
  /// looks at line boundaries only around what it finds, not line by line.
  void sieve(const char *begin, const char *end, SievedLines &out) const {
    kernel_->sieve(spec_, begin, end, out);
  }

  /// The instruction set this filter's kernel uses.
  simd::Level level() const { return level_; }

private:
  prefilter_detail::PrefilterSpec spec_;
  simd::Level level_;
  const prefilter_detail::PrefilterKernel *kernel_;
};

} // namespace usbexfil
