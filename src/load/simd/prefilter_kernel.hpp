// The raw pre-filter's SIMD kernels (prefilter.hpp), one per instruction set, chosen at run time
// (simd/level.hpp). What RawPrefilter knows (its needle groups, its key and the key's values) is
// a `PrefilterSpec`; each kernel is a table of two functions over one. The scalar helpers here
// are compiled for the baseline and inlined into every kernel.
//
// A kernel's translation unit includes this header and the standard headers first, then raises
// the target with `#pragma GCC target` and includes prefilter_kernel.inl: only the functions
// defined after the pragma use the wider instructions, and every inline function and template
// they use (the standard library's, ours) keeps its baseline definition, so the linker can never
// pick a copy compiled for AVX2 where a baseline CPU runs it.
#pragma once

#include "load/line_scanner.hpp"
#include "load/prefilter.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace usbexfil::prefilter_detail {

/// Defined in simd/prefilter_<level>.cpp; each may only run where simd::supported(level).
extern const PrefilterKernel PREFILTER_SSE2;
extern const PrefilterKernel PREFILTER_AVX2;
extern const PrefilterKernel PREFILTER_AVX512;

// A genuine `\u` escape at `pos` (the backslash): an odd run of backslashes ends there.
inline bool is_unicode_escape(std::string_view line, std::size_t pos) {
  if (pos + 1 >= line.size() || line[pos] != '\\' || line[pos + 1] != 'u') {
    return false;
  }
  std::size_t run = 1;
  while (pos >= run && line[pos - run] == '\\') {
    ++run;
  }
  return run % 2 == 1;
}

inline std::uint64_t load8(const char *p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// memcmp for the short strings compared here (a call per candidate costed more than the test).
inline bool same_bytes(const char *a, const char *b, std::size_t n) {
  if (n < 8) {
    return std::memcmp(a, b, n) == 0;
  }
  for (std::size_t i = 0; i + 8 < n; i += 8) {
    if (load8(a + i) != load8(b + i)) {
      return false;
    }
  }
  return load8(a + n - 8) == load8(b + n - 8);
}

inline bool needle_at(std::string_view line, std::size_t pos, const std::string &needle) {
  return pos + needle.size() <= line.size() &&
         same_bytes(line.data() + pos, needle.data(), needle.size());
}

// JSON whitespace within a line (a newline ends it; the sieve looks at many lines at once).
inline std::size_t skip_whitespace(std::string_view line, std::size_t pos) {
  while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t' || line[pos] == '\r')) {
    ++pos;
  }
  return pos;
}

inline bool any_needle_at(const PrefilterSpec &spec, std::string_view line, std::size_t pos) {
  for (const Group &group : spec.groups) {
    if (line[pos] != group.first) {
      continue;
    }
    for (const std::string &needle : group.needles) {
      if (needle_at(line, pos, needle)) {
        return true;
      }
    }
  }
  return false;
}

} // namespace usbexfil::prefilter_detail
