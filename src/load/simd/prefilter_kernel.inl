// The body of one pre-filter kernel (simd/prefilter_kernel.hpp). The including file defines
// USBEXFIL_KERNEL (the namespace), USBEXFIL_KERNEL_TABLE (the table's name) and one of
// USBEXFIL_BLOCK_AVX512 / USBEXFIL_BLOCK_AVX2 / USBEXFIL_BLOCK_SSE2 / USBEXFIL_BLOCK_SCALAR, and
// has raised the target for the first two.

namespace usbexfil::prefilter_detail {
namespace USBEXFIL_KERNEL {
namespace {

// 64 bytes loaded once and compared with several bytes: bit i of eq(c) says byte i is c, bit i
// of le(c) that byte i is c or below (unsigned).
#if defined(USBEXFIL_BLOCK_AVX512)
class Block64 {
public:
  explicit Block64(const char *p) : bytes_(_mm512_loadu_si512(p)) {}
  std::uint64_t eq(char c) const { return _mm512_cmpeq_epi8_mask(bytes_, _mm512_set1_epi8(c)); }
  std::uint64_t le(char c) const { return _mm512_cmple_epu8_mask(bytes_, _mm512_set1_epi8(c)); }

private:
  __m512i bytes_;
};
#elif defined(USBEXFIL_BLOCK_AVX2)
class Block64 {
public:
  explicit Block64(const char *p)
      : low_(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(p))),
        high_(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(p + 32))) {}
  std::uint64_t eq(char c) const {
    const __m256i wanted = _mm256_set1_epi8(c);
    const auto low =
        static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(low_, wanted)));
    const auto high =
        static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(high_, wanted)));
    return low | (std::uint64_t{high} << 32);
  }
  std::uint64_t le(char c) const {
    const __m256i bound = _mm256_set1_epi8(c);
    const auto low = static_cast<std::uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(low_, bound), low_)));
    const auto high = static_cast<std::uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(high_, bound), high_)));
    return low | (std::uint64_t{high} << 32);
  }

private:
  __m256i low_;
  __m256i high_;
};
#elif defined(USBEXFIL_BLOCK_SSE2)
class Block64 {
public:
  explicit Block64(const char *p) {
    for (int i = 0; i < 4; ++i) {
      parts_[i] = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + std::ptrdiff_t{16} * i));
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
  std::uint64_t le(char c) const {
    const __m128i bound = _mm_set1_epi8(c);
    std::uint64_t mask = 0;
    for (int i = 0; i < 4; ++i) {
      const auto part = static_cast<std::uint32_t>(
          _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(parts_[i], bound), parts_[i])));
      mask |= std::uint64_t{part} << (16 * i);
    }
    return mask;
  }

private:
  __m128i parts_[4];
};
#else
class Block64 {
public:
  explicit Block64(const char *p) { std::memcpy(bytes_, p, 64); }
  std::uint64_t eq(char c) const {
    std::uint64_t mask = 0;
    for (int i = 0; i < 64; ++i) {
      mask |= std::uint64_t{bytes_[i] == c} << i;
    }
    return mask;
  }
  std::uint64_t le(char c) const {
    std::uint64_t mask = 0;
    for (int i = 0; i < 64; ++i) {
      mask |= std::uint64_t{static_cast<unsigned char>(bytes_[i]) <= static_cast<unsigned char>(c)}
              << i;
    }
    return mask;
  }

private:
  char bytes_[64];
};
#endif

// The first `"`, `\` or newline at or after `from` (line.size() when none): where a raw string
// value starting at `from` ends, unless it has escapes or runs past its line. `line` must have
// LINE_PADDING readable bytes after its end.
std::size_t string_stop(std::string_view line, std::size_t from) {
  for (std::size_t block = from; block < line.size(); block += 64) {
    const char *p = line.data() + block;
    const Block64 bytes(p);
    const std::uint64_t stops = bytes.eq('"') | bytes.eq('\\') | bytes.eq('\n');
    if (stops != 0) {
      return std::min(line.size(), block + static_cast<std::size_t>(__builtin_ctzll(stops)));
    }
  }
  return line.size();
}

// Whether the key occurrence whose name starts at `pos` may hold an admitted value. Any place
// that merely looks like the key only adds a "maybe"; what must not be missed is the real
// member, which always reads `"key"`, whitespace, `:`, whitespace, value.
bool key_value_may_match(const PrefilterSpec &spec, std::string_view line, std::size_t pos) {
  const std::string &name = spec.key->needles.front(); // with its closing quote
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
  return spec.bloom->may_contain(value) && spec.values->contains(value);
}

// Muła's "generic SIMD" substring search, for all needle groups and `\u` at once: position i is
// a candidate when a group's first byte is at i and its last byte at i+span-1 (or `\` at i and
// `u` at i+1). The common case, a block without candidates, costs a few compares and no branch;
// candidates are verified one by one. Loads reach at most 94 bytes past the line, inside
// LINE_PADDING; candidate bits past the end are masked off.
RawMatch scan(const PrefilterSpec &spec, std::string_view line) {
  const char *data = line.data();
  const std::size_t size = line.size();
  bool found_needle = false;
  bool key_may_match = !spec.key.has_value();
  for (std::size_t block = 0; block < size; block += 64) {
    const char *p = data + block;
    const Block64 here(p);
    std::uint64_t hits = here.eq('\\') & Block64(p + 1).eq('u');
    if (!found_needle) {
      for (const Group &group : spec.groups) {
        hits |= here.eq(group.first) & Block64(p + group.span - 1).eq(group.last);
      }
    }
    std::uint64_t keys = 0;
    if (!key_may_match) {
      keys = here.eq(spec.key->first) & Block64(p + spec.key->span - 1).eq(spec.key->last);
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
      found_needle = found_needle || any_needle_at(spec, line, pos);
    }
    for (; keys != 0 && !key_may_match; keys &= keys - 1) {
      key_may_match =
          key_value_may_match(spec, line, block + static_cast<std::size_t>(__builtin_ctzll(keys)));
    }
  }
  return found_needle && key_may_match ? RawMatch::needle : RawMatch::none;
}

/// A two-byte test of the sieve: `first` at i and `last` at i + shift.
struct Anchor {
  char first;
  char last;
  unsigned shift; ///< span - 1, below 32
};

/// Bit i: byte i of a 64-byte block is '\n' or below (a newline, a tab or a control byte that no
/// record holds: one unsigned compare finds both), '\\', 'u', and each anchor's first and last
/// byte.
template <std::size_t N> struct SieveMasks {
  std::uint64_t low;
  std::uint64_t backslash;
  std::uint64_t u;
  std::array<std::uint64_t, N> first;
  std::array<std::uint64_t, N> last;

  SieveMasks(const char *p, const std::array<Anchor, N> &anchors) {
    const Block64 bytes(p);
    low = bytes.le('\n');
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
  bool control = false; // the line holds a byte below '\t'
  // Every line's shape is checked (its first and last bytes other than blanks, usually the
  // bytes next to its newlines): a line that cannot be a record is kept, marked suspect, so that
  // damage is reported even where the rule needs nothing from the line.
  const auto finish_line = [&](std::size_t line_end) {
    std::size_t first = line_start;
    while (first < line_end &&
           (range[first] == ' ' || range[first] == '\t' || range[first] == '\r')) {
      ++first;
    }
    if (first == line_end) {
      ++out.blank;
    } else {
      std::size_t last = line_end - 1;
      while (range[last] == ' ' || range[last] == '\t' || range[last] == '\r') {
        --last;
      }
      const bool suspect = control || !has_record_shape(range[first], range[last]);
      if (kept || suspect) {
        out.kept.push_back({line_start, line_end, out.lines, suspect});
      }
    }
    ++out.lines;
    line_start = line_end + 1;
    kept = false;
    control = false;
  };
  // The inner loop runs over blocks without newlines or marks and calls nothing, so the masks
  // stay in registers; a block with events is handled outside it and the masks are recomputed.
  for (std::size_t block = 0; block < size; block += 64) {
    SieveMasks<N> current(begin + block, anchors);
    std::uint64_t lows = 0;
    std::uint64_t marks = 0;
    for (;;) {
      const SieveMasks<N> next(begin + block + 64, anchors);
      lows = current.low;
      marks = current.backslash & ((current.u >> 1) | (next.u << 63));
      for (std::size_t i = 0; i < N; ++i) {
        const unsigned shift = anchors[i].shift;
        const std::uint64_t last =
            shift == 0 ? current.last[i]
                       : (current.last[i] >> shift) | (next.last[i] << (64 - shift));
        marks |= current.first[i] & last;
      }
      if ((lows | marks) != 0 || size - block <= 64) {
        break;
      }
      current = next;
      block += 64;
    }
    if (size - block < 64) {
      const std::uint64_t inside = (std::uint64_t{1} << (size - block)) - 1;
      lows &= inside;
      marks &= inside;
    }
    // Newlines, control bytes and marks in position order: each belongs to the line the last
    // newline opened. A tab is a low byte too, and nothing.
    for (std::uint64_t events = lows | marks; events != 0; events &= events - 1) {
      const auto bit = static_cast<unsigned>(__builtin_ctzll(events));
      const std::size_t pos = block + bit;
      if ((lows >> bit) & 1) {
        if (range[pos] == '\n') {
          finish_line(pos);
        } else if (range[pos] != '\t') {
          control = true;
        }
      } else if (!kept) {
        kept = verify(range, pos);
      }
    }
  }
  if (line_start < size) {
    finish_line(size); // the last line has no newline
  }
}

void sieve(const PrefilterSpec &spec, const char *begin, const char *end, SievedLines &out) {
  const auto anchor = [](const Group &group) {
    return Anchor{group.first, group.last, static_cast<unsigned>(group.span - 1)};
  };
  const auto verify = [&spec](std::string_view range, std::size_t pos) {
    return is_unicode_escape(range, pos) ||
           (spec.key ? key_value_may_match(spec, range, pos) : any_needle_at(spec, range, pos));
  };
  if (spec.key) {
    sieve_lines(std::array{anchor(*spec.key)}, begin, end, out, verify);
  } else if (spec.groups.size() == 1) {
    sieve_lines(std::array{anchor(spec.groups[0])}, begin, end, out, verify);
  } else if (spec.groups.size() == 2) {
    sieve_lines(std::array{anchor(spec.groups[0]), anchor(spec.groups[1])}, begin, end, out,
                verify);
  } else {
    split_lines(begin, end, out,
                [&spec](std::string_view line) { return scan(spec, line) != RawMatch::none; });
  }
}

} // namespace
} // namespace USBEXFIL_KERNEL

const PrefilterKernel USBEXFIL_KERNEL_TABLE{&USBEXFIL_KERNEL::scan, &USBEXFIL_KERNEL::sieve};

} // namespace usbexfil::prefilter_detail
