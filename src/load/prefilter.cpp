#include "load/prefilter.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdint>
#include <cstring>

#if defined(__AVX512BW__) || defined(__AVX2__) || defined(__SSE2__)
#include <immintrin.h>
#endif

namespace usbexfil {

namespace {
constexpr std::size_t MAX_SPAN = 32; // keeps the per-line SIMD loads within LINE_PADDING
} // namespace

RawPrefilter::RawPrefilter(const std::vector<std::string> &needles, std::string_view key,
                           const std::unordered_set<std::string_view> *values) {
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
  if (values != nullptr && !key.empty() && !values->contains(std::string_view())) {
    // The SIMD test looks at the name's first and last bytes (its closing quote would not tell
    // names of the same length apart: InitiatingProcessAccountUpn, ...AccountSid).
    const std::size_t span = std::min(key.size(), MAX_SPAN);
    key_ = Group{key.front(), key[span - 1], span, {std::string(key) + '"'}};
    values_ = values;
    bloom_.emplace(values->size());
    for (const std::string_view value : *values) {
      bloom_->insert(value);
    }
  }
}

StringBloom::StringBloom(std::size_t values)
    : bits_(std::bit_ceil(std::max<std::size_t>(4096, values * 16)) / 64, 0),
      mask_(bits_.size() * 64 - 1) {}

void StringBloom::insert(std::string_view text) {
  const std::uint64_t h = hash(text);
  const std::uint64_t first = h & mask_;
  const std::uint64_t second = (h >> 32) & mask_;
  bits_[first >> 6] |= std::uint64_t{1} << (first & 63);
  bits_[second >> 6] |= std::uint64_t{1} << (second & 63);
}

std::uint64_t StringBloom::hash(std::string_view text) {
  std::uint64_t head = 0;
  std::uint64_t tail = 0;
  if (text.size() >= 8) {
    std::memcpy(&head, text.data(), 8);
    std::memcpy(&tail, text.data() + text.size() - 8, 8);
  } else if (!text.empty()) {
    std::memcpy(&head, text.data(), text.size());
    tail = head;
  }
  std::uint64_t h = (head * 0x9E3779B97F4A7C15ULL) ^ (std::rotl(tail, 31) * 0xC2B2AE3D27D4EB4FULL) ^
                    text.size();
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ULL;
  return h ^ (h >> 32);
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

std::uint64_t load8(const char *p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// memcmp for the short strings compared here (a call per candidate costed more than the test).
bool same_bytes(const char *a, const char *b, std::size_t n) {
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

bool needle_at(std::string_view line, std::size_t pos, const std::string &needle) {
  return pos + needle.size() <= line.size() &&
         same_bytes(line.data() + pos, needle.data(), needle.size());
}

// JSON whitespace within a line (a newline ends it; the sieve looks at many lines at once).
std::size_t skip_whitespace(std::string_view line, std::size_t pos) {
  while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t' || line[pos] == '\r')) {
    ++pos;
  }
  return pos;
}

// 64 bytes loaded once and compared with several bytes: bit i of eq(c) says byte i is c.
#if defined(__AVX512BW__)
class Block64 {
public:
  explicit Block64(const char *p) : bytes_(_mm512_loadu_si512(p)) {}
  std::uint64_t eq(char c) const { return _mm512_cmpeq_epi8_mask(bytes_, _mm512_set1_epi8(c)); }

private:
  __m512i bytes_;
};
#elif defined(__AVX2__)
class Block64 {
public:
  explicit Block64(const char *p)
      : low_(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(p))),
        high_(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(p + 32))) {}
  std::uint64_t eq(char c) const {
    const __m256i wanted = _mm256_set1_epi8(c);
    const auto low = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(low_, wanted)));
    const auto high =
        static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(high_, wanted)));
    return low | (std::uint64_t{high} << 32);
  }

private:
  __m256i low_;
  __m256i high_;
};
#elif defined(__SSE2__)
class Block64 {
public:
  explicit Block64(const char *p) {
    for (int i = 0; i < 4; ++i) {
      parts_[i] = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16 * i));
    }
  }
  std::uint64_t eq(char c) const {
    const __m128i wanted = _mm_set1_epi8(c);
    std::uint64_t mask = 0;
    for (int i = 0; i < 4; ++i) {
      const auto part =
          static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(parts_[i], wanted)));
      mask |= std::uint64_t{part} << (16 * i);
    }
    return mask;
  }

private:
  __m128i parts_[4];
};
#endif

// The first `"`, `\` or newline at or after `from` (line.size() when none): where a raw string
// value starting at `from` ends, unless it has escapes or runs past its line. `line` must have
// LINE_PADDING readable bytes after its end.
std::size_t string_stop(std::string_view line, std::size_t from) {
#if defined(__AVX512BW__) || defined(__AVX2__) || defined(__SSE2__)
  for (std::size_t block = from; block < line.size(); block += 64) {
    const char *p = line.data() + block;
    const Block64 bytes(p);
    const std::uint64_t stops = bytes.eq('"') | bytes.eq('\\') | bytes.eq('\n');
    if (stops != 0) {
      return std::min(line.size(), block + static_cast<std::size_t>(__builtin_ctzll(stops)));
    }
  }
  return line.size();
#else
  std::size_t pos = from;
  while (pos < line.size() && line[pos] != '"' && line[pos] != '\\' && line[pos] != '\n') {
    ++pos;
  }
  return pos;
#endif
}

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

bool RawPrefilter::key_value_may_match(std::string_view line, std::size_t pos) const {
  // Any place that merely looks like the key only adds a "maybe"; what must not be missed is
  // the real member, which always reads `"key"`, whitespace, `:`, whitespace, value.
  const std::string &name = key_->needles.front(); // with its closing quote
  if (pos == 0 || line[pos - 1] != '"' || pos + name.size() > line.size()) {
    return false;
  }
  if (line[pos + name.size() - 1] != '"') {
    // `"key_string"` / `"key_dynamic"` (union exports, inputs.md D29) stand in for an absent
    // key: the full parse decides.
    const std::string_view rest = line.substr(pos + name.size() - 1);
    return line.compare(pos, name.size() - 1, name, 0, name.size() - 1) == 0 &&
           (rest.starts_with("_string\"") || rest.starts_with("_dynamic\""));
  }
  if (!needle_at(line, pos, name)) {
    return false;
  }
  std::size_t at = skip_whitespace(line, pos + name.size());
  if (at >= line.size() || line[at] != ':') {
    return false; // a string value that reads like the key, not a member name
  }
  at = skip_whitespace(line, at + 1);
  if (line.compare(at, 4, "null") == 0) {
    return false; // reads as the empty string, which `values` does not hold
  }
  if (at >= line.size() || line[at] != '"') {
    return true; // not a string: the full parse decides
  }
  const std::size_t end = string_stop(line, at + 1);
  if (end >= line.size() || line[end] != '"') {
    return true; // escapes, or no closing quote on this line: the full parse decides
  }
  const std::string_view value = line.substr(at + 1, end - at - 1);
  return bloom_->may_contain(value) && values_->contains(value);
}

#if defined(__AVX512BW__) || defined(__AVX2__) || defined(__SSE2__)

// Muła's "generic SIMD" substring search, for all needle groups and `\u` at once: position i is
// a candidate when a group's first byte is at i and its last byte at i+span-1 (or `\` at i and
// `u` at i+1). The common case, a block without candidates, costs a few compares and no branch;
// candidates are verified one by one. Loads reach at most 94 bytes past the line, inside
// LINE_PADDING; candidate bits past the end are masked off.
RawMatch RawPrefilter::scan(std::string_view line) const {
  const char *data = line.data();
  const std::size_t size = line.size();
  bool found_needle = false;
  bool key_may_match = !key_.has_value();
  for (std::size_t block = 0; block < size; block += 64) {
    const char *p = data + block;
    const Block64 here(p);
    std::uint64_t hits = here.eq('\\') & Block64(p + 1).eq('u');
    if (!found_needle) {
      for (const Group &group : groups_) {
        hits |= here.eq(group.first) & Block64(p + group.span - 1).eq(group.last);
      }
    }
    std::uint64_t keys = 0;
    if (!key_may_match) {
      keys = here.eq(key_->first) & Block64(p + key_->span - 1).eq(key_->last);
    }
    if (size - block < 64) {
      const std::uint64_t inside = (std::uint64_t{1} << (size - block)) - 1;
      hits &= inside;
      keys &= inside;
    }
    for (; hits != 0; hits &= hits - 1) {
      const std::size_t pos = block + static_cast<std::size_t>(__builtin_ctzll(hits));
      if (is_unicode_escape(line, pos)) {
        return RawMatch::escape;
      }
      found_needle = found_needle || any_needle_at(line, pos);
    }
    for (; keys != 0 && !key_may_match; keys &= keys - 1) {
      key_may_match =
          key_value_may_match(line, block + static_cast<std::size_t>(__builtin_ctzll(keys)));
    }
  }
  return found_needle && key_may_match ? RawMatch::needle : RawMatch::none;
}


namespace {

/// A two-byte test of the sieve: `first` at i and `last` at i + shift.
struct Anchor {
  char first;
  char last;
  unsigned shift; ///< span - 1, below 32
};

/// Bit i: byte i of a 64-byte block is '\n', '\\', 'u', and each anchor's first and last byte.
template <std::size_t N> struct SieveMasks {
  std::uint64_t newline;
  std::uint64_t backslash;
  std::uint64_t u;
  std::array<std::uint64_t, N> first;
  std::array<std::uint64_t, N> last;

  SieveMasks(const char *p, const std::array<Anchor, N> &anchors) {
    const Block64 bytes(p);
    newline = bytes.eq('\n');
    backslash = bytes.eq('\\');
    u = bytes.eq('u');
    for (std::size_t i = 0; i < N; ++i) {
      first[i] = bytes.eq(anchors[i].first);
      last[i] = bytes.eq(anchors[i].last);
    }
  }
};

// One pass, 64 bytes a step, each byte loaded once: the masks of the next block complete the
// two-byte tests (`\` then `u`; an anchor's first byte, then its last `shift` bytes later)
// that cross into it. Loads reach at most 127 bytes past `end`, inside LINE_PADDING.
// `verify(range, pos)` says whether the mark at `pos` keeps its line.
template <std::size_t N, class Verify>
void sieve_lines(const std::array<Anchor, N> &anchors, const char *begin, const char *end,
                 SievedLines &out, Verify verify) {
  out.lines = 0;
  out.blank = 0;
  out.kept.clear();
  const std::string_view range(begin, static_cast<std::size_t>(end - begin));
  const std::size_t size = range.size();
  std::size_t line_start = 0;
  bool kept = false;
  const auto finish_line = [&](std::size_t line_end) {
    if (kept) {
      out.kept.push_back({line_start, line_end, out.lines});
    } else if (is_blank_line(range.substr(line_start, line_end - line_start))) {
      ++out.blank; // stops at the first byte of an ordinary line
    }
    ++out.lines;
    line_start = line_end + 1;
    kept = false;
  };
  // The inner loop runs over blocks without newlines or marks and calls nothing, so the masks
  // stay in registers; a block with events is handled outside it and the masks are recomputed.
  for (std::size_t block = 0; block < size; block += 64) {
    SieveMasks<N> current(begin + block, anchors);
    std::uint64_t newlines = 0;
    std::uint64_t marks = 0;
    for (;;) {
      const SieveMasks<N> next(begin + block + 64, anchors);
      newlines = current.newline;
      marks = current.backslash & ((current.u >> 1) | (next.u << 63));
      for (std::size_t i = 0; i < N; ++i) {
        const unsigned shift = anchors[i].shift;
        const std::uint64_t last =
            shift == 0 ? current.last[i]
                       : (current.last[i] >> shift) | (next.last[i] << (64 - shift));
        marks |= current.first[i] & last;
      }
      if ((newlines | marks) != 0 || size - block <= 64) {
        break;
      }
      current = next;
      block += 64;
    }
    if (size - block < 64) {
      const std::uint64_t inside = (std::uint64_t{1} << (size - block)) - 1;
      newlines &= inside;
      marks &= inside;
    }
    // Newlines and marks in position order: a mark belongs to the line the last newline opened.
    for (std::uint64_t events = newlines | marks; events != 0; events &= events - 1) {
      const auto bit = static_cast<unsigned>(__builtin_ctzll(events));
      const std::size_t pos = block + bit;
      if ((newlines >> bit) & 1) {
        finish_line(pos);
      } else if (!kept) {
        kept = verify(range, pos);
      }
    }
  }
  if (line_start < size) {
    finish_line(size); // the last line has no newline
  }
}

} // namespace

void RawPrefilter::sieve(const char *begin, const char *end, SievedLines &out) const {
  const auto anchor = [](const Group &group) {
    return Anchor{group.first, group.last, static_cast<unsigned>(group.span - 1)};
  };
  const auto verify = [this](std::string_view range, std::size_t pos) {
    return is_unicode_escape(range, pos) ||
           (key_ ? key_value_may_match(range, pos) : any_needle_at(range, pos));
  };
  if (key_) {
    sieve_lines(std::array{anchor(*key_)}, begin, end, out, verify);
  } else if (groups_.size() == 1) {
    sieve_lines(std::array{anchor(groups_[0])}, begin, end, out, verify);
  } else if (groups_.size() == 2) {
    sieve_lines(std::array{anchor(groups_[0]), anchor(groups_[1])}, begin, end, out, verify);
  } else {
    split_lines(begin, end, out, [this](std::string_view line) { return scan(line) != RawMatch::none; });
  }
}

#else

RawMatch RawPrefilter::scan(std::string_view line) const {
  for (std::size_t pos = line.find("\\u"); pos != std::string_view::npos;
       pos = line.find("\\u", pos + 2)) {
    if (is_unicode_escape(line, pos)) {
      return RawMatch::escape;
    }
  }
  bool found_needle = false;
  for (const Group &group : groups_) {
    for (const std::string &needle : group.needles) {
      found_needle = found_needle || line.find(needle) != std::string_view::npos;
    }
  }
  if (!found_needle) {
    return RawMatch::none;
  }
  if (!key_) {
    return RawMatch::needle;
  }
  const std::string &key = key_->needles.front();
  for (std::size_t pos = line.find(key); pos != std::string_view::npos;
       pos = line.find(key, pos + 1)) {
    if (key_value_may_match(line, pos)) {
      return RawMatch::needle;
    }
  }
  return RawMatch::none;
}

void RawPrefilter::sieve(const char *begin, const char *end, SievedLines &out) const {
  split_lines(begin, end, out, [this](std::string_view line) { return scan(line) != RawMatch::none; });
}

#endif

} // namespace usbexfil
