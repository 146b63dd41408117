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

std::optional<PrefixSpotter> PrefixSpotter::make(const std::vector<std::string_view> &values) {
  for (const std::string_view value : values) {
    if (value.size() < 8 || static_cast<unsigned char>(value.front()) >= 0x80 ||
        std::any_of(value.begin(), value.begin() + 8, [](char c) {
          return c == '"' || c == '\\' || c == '/' || static_cast<unsigned char>(c) < 0x20;
        })) {
      return std::nullopt;
    }
  }
  PrefixSpotter spotter(std::bit_ceil(std::max<std::size_t>(16, values.size() * 4)));
  for (const std::string_view value : values) {
    std::uint64_t prefix = 0;
    std::memcpy(&prefix, value.data(), sizeof prefix);
    spotter.insert(prefix);
    const auto first = static_cast<unsigned char>(value.front());
    for (std::size_t lane = 0; lane < 64; lane += 16) {
      spotter.high_[lane + (first >> 4)] = static_cast<std::uint8_t>(1u << (first >> 4));
      spotter.low_[lane + (first & 15)] |= static_cast<std::uint8_t>(1u << (first >> 4));
    }
  }
  return spotter;
}

void PrefixSpotter::insert(std::uint64_t prefix) {
  std::size_t i = slot(prefix);
  while (table_[i] != 0 && table_[i] != prefix) {
    i = (i + 1) & (table_.size() - 1);
  }
  table_[i] = prefix;
}

bool PrefixSpotter::contains(std::uint64_t prefix) const {
  for (std::size_t i = slot(prefix);; i = (i + 1) & (table_.size() - 1)) {
    if (table_[i] == prefix) {
      return true;
    }
    if (table_[i] == 0) {
      return false;
    }
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
  // Bit i: byte p[i] is in the set given as nibble tables (see PrefixSpotter).
  static std::uint64_t in_set(const char *p, const std::uint8_t *low, const std::uint8_t *high) {
    const __m512i bytes = _mm512_loadu_si512(p);
    const __m512i nibble = _mm512_set1_epi8(0x0F);
    const __m512i lo = _mm512_shuffle_epi8(_mm512_load_si512(low), _mm512_and_si512(bytes, nibble));
    const __m512i hi = _mm512_shuffle_epi8(_mm512_load_si512(high),
                                           _mm512_and_si512(_mm512_srli_epi16(bytes, 4), nibble));
    return _mm512_test_epi8_mask(lo, hi);
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
  // Bit i: byte p[i] is in the set given as nibble tables (see PrefixSpotter).
  static std::uint64_t in_set(const char *p, const std::uint8_t *low, const std::uint8_t *high) {
    const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p));
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    const __m256i lo = _mm256_shuffle_epi8(
        _mm256_load_si256(reinterpret_cast<const __m256i *>(low)), _mm256_and_si256(bytes, nibble));
    const __m256i hi =
        _mm256_shuffle_epi8(_mm256_load_si256(reinterpret_cast<const __m256i *>(high)),
                            _mm256_and_si256(_mm256_srli_epi16(bytes, 4), nibble));
    const __m256i both = _mm256_and_si256(lo, hi);
    return ~static_cast<std::uint32_t>(
               _mm256_movemask_epi8(_mm256_cmpeq_epi8(both, _mm256_setzero_si256()))) &
           0xFFFFFFFFu;
  }
};
#elif defined(__SSE2__)
struct Simd {
  static constexpr std::size_t WIDTH = 16;
  static std::uint64_t eq(const char *p, char c) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, _mm_set1_epi8(c))));
  }
  // SSE2 has no byte shuffle: every byte may be in the set (the hash lookup decides).
  static std::uint64_t in_set(const char *, const std::uint8_t *, const std::uint8_t *) {
    return 0xFFFFu;
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

bool PrefixSpotter::spot(std::string_view line) const {
  const char *data = line.data();
  const std::size_t size = line.size();
  for (std::size_t block = 0; block < size; block += Simd::WIDTH) {
    std::uint64_t quotes =
        Simd::eq(data + block, '"') & Simd::in_set(data + block + 1, low_.data(), high_.data());
    if (size - block < Simd::WIDTH) {
      quotes &= (std::uint64_t{1} << (size - block)) - 1;
    }
    for (; quotes != 0; quotes &= quotes - 1) {
      const std::size_t pos = block + static_cast<std::size_t>(__builtin_ctzll(quotes));
      std::uint64_t prefix = 0;
      std::memcpy(&prefix, data + pos + 1, sizeof prefix); // within the padding at worst
      if (contains(prefix)) {
        return true;
      }
    }
  }
  return false;
}

#else

bool PrefixSpotter::spot(std::string_view line) const {
  for (std::size_t pos = line.find('"'); pos != std::string_view::npos;
       pos = line.find('"', pos + 1)) {
    std::uint64_t prefix = 0;
    std::memcpy(&prefix, line.data() + pos + 1, sizeof prefix);
    if (contains(prefix)) {
      return true;
    }
  }
  return false;
}

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
