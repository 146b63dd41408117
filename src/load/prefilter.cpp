#include "load/prefilter.hpp"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstring>

#if defined(__AVX512BW__) || defined(__AVX2__) || defined(__SSE2__)
#include <immintrin.h>
#endif

namespace usbexfil {

namespace {
constexpr std::size_t MAX_SPAN = 32; // keeps SIMD loads within the 64 bytes of padding
} // namespace

RawPrefilter::RawPrefilter(const std::vector<std::string> &needles) {
  for (const std::string &needle : needles) {
    assert(needle.size() >= 2);
    const std::size_t span = std::min(needle.size(), MAX_SPAN);
    const char last = needle[span - 1];
    auto group = std::find_if(groups_.begin(), groups_.end(), [&](const Group &g) {
      return g.first == needle.front() && g.last == last && g.span == span;
    });
    if (group == groups_.end()) {
      groups_.push_back({needle.front(), last, span, {}});
      group = std::prev(groups_.end());
    }
    group->needles.push_back(needle);
  }
}

namespace {

// A genuine `\u` escape at `pos` (the backslash): an odd run of backslashes ends there.
bool is_unicode_escape(std::string_view line, std::size_t pos) {
  if (pos + 1 >= line.size() || line[pos] != '\\' || line[pos + 1] != 'u') {
    return false;
  }
  std::size_t run = 1;
  while (pos >= run && line[pos - run] == '\\') {
    ++run;
  }
  return run % 2 == 1;
}

bool needle_at(std::string_view line, std::size_t pos, const std::string &needle) {
  return pos + needle.size() <= line.size() &&
         std::memcmp(line.data() + pos, needle.data(), needle.size()) == 0;
}

// Bit i of eq(p, c) says whether p[i] == c, for one SIMD block.
#if defined(__AVX512BW__)
struct Simd {
  static constexpr std::size_t WIDTH = 64;
  static std::uint64_t eq(const char *p, char c) {
    return _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p), _mm512_set1_epi8(c));
  }
};
#elif defined(__AVX2__)
struct Simd {
  static constexpr std::size_t WIDTH = 32;
  static std::uint64_t eq(const char *p, char c) {
    const __m256i block = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p));
    return static_cast<std::uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(block, _mm256_set1_epi8(c))));
  }
};
#elif defined(__SSE2__)
struct Simd {
  static constexpr std::size_t WIDTH = 16;
  static std::uint64_t eq(const char *p, char c) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, _mm_set1_epi8(c))));
  }
};
#endif

} // namespace

bool RawPrefilter::any_needle_at(std::string_view line, std::size_t pos) const {
  for (const Group &group : groups_) {
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

#if defined(__AVX512BW__) || defined(__AVX2__) || defined(__SSE2__)

// Muła's "generic SIMD" substring search, for all needle groups and `\u` at once: position i is
// a candidate when a group's first byte is at i and its last byte at i+span-1 (or `\` at i and
// `u` at i+1). The common case, a block without candidates, costs a few compares and no branch;
// candidates are verified one by one. Loads reach at most WIDTH + 31 bytes past the line, inside
// LINE_PADDING; candidate bits past the end are masked off.
RawMatch RawPrefilter::scan(std::string_view line) const {
  const char *data = line.data();
  const std::size_t size = line.size();
  bool found_needle = false;
  for (std::size_t block = 0; block < size; block += Simd::WIDTH) {
    const char *p = data + block;
    std::uint64_t hits = Simd::eq(p, '\\') & Simd::eq(p + 1, 'u');
    if (!found_needle) {
      for (const Group &group : groups_) {
        hits |= Simd::eq(p, group.first) & Simd::eq(p + group.span - 1, group.last);
      }
    }
    if (size - block < Simd::WIDTH) {
      hits &= (std::uint64_t{1} << (size - block)) - 1;
    }
    for (; hits != 0; hits &= hits - 1) {
      const std::size_t pos = block + static_cast<std::size_t>(__builtin_ctzll(hits));
      if (is_unicode_escape(line, pos)) {
        return RawMatch::escape;
      }
      found_needle = found_needle || any_needle_at(line, pos);
    }
  }
  return found_needle ? RawMatch::needle : RawMatch::none;
}

#else

RawMatch RawPrefilter::scan(std::string_view line) const {
  for (std::size_t pos = line.find("\\u"); pos != std::string_view::npos;
       pos = line.find("\\u", pos + 2)) {
    if (is_unicode_escape(line, pos)) {
      return RawMatch::escape;
    }
  }
  for (const Group &group : groups_) {
    for (const std::string &needle : group.needles) {
      if (line.find(needle) != std::string_view::npos) {
        return RawMatch::needle;
      }
    }
  }
  return RawMatch::none;
}

#endif

} // namespace usbexfil
