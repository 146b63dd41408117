#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace usbexfil {

std::string ascii_fold(std::string_view text) {
  std::string folded;
  ascii_fold_into(folded, text);
  return folded;
}

void ascii_fold_into(std::string &out, std::string_view text) {
  out.assign(text);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
}

bool ascii_iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ascii_istarts_with(a, b);
}

bool ascii_istarts_with(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (ascii_lower(text[i]) != ascii_lower(prefix[i])) {
      return false;
    }
  }
  return true;
}

namespace {

/// Whether any of the 8 bytes of `word` is below 0x20, `"` or `\` (the bytes JSON escapes). The
/// classic zero-byte tests: they may flag a byte next to a true match (a borrow), never miss one,
/// so a flagged word is looked at byte by byte. Bytes of 0x80 and above (UTF-8) are never flagged.
constexpr bool may_need_escape(std::uint64_t word) {
  constexpr std::uint64_t ONES = 0x0101010101010101ULL;
  constexpr std::uint64_t HIGHS = 0x8080808080808080ULL;
  const std::uint64_t quote = word ^ (ONES * '"');
  const std::uint64_t backslash = word ^ (ONES * '\\');
  const std::uint64_t below_space = (word - ONES * 0x20) & ~word;
  const std::uint64_t zero_quote = (quote - ONES) & ~quote;
  const std::uint64_t zero_backslash = (backslash - ONES) & ~backslash;
  return ((below_space | zero_quote | zero_backslash) & HIGHS) != 0;
}

} // namespace

void append_json_string(std::string &out, std::string_view text) {
  static constexpr char HEX[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0; // start of the bytes not yet appended, which need no escape
  for (std::size_t i = 0; i < text.size(); ++i) {
    // Sixteen bytes at a time (SSE2), then eight (the tail), while none needs an escape (most
    // text): they join the run. SSE2 finds the exact byte; a flagged word is looked at below.
    bool found = false;
#if defined(__SSE2__)
    const __m128i max_control = _mm_set1_epi8(0x1f);
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    while (i + 16 <= text.size()) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(text.data() + i));
      const auto hits = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
          _mm_cmpeq_epi8(_mm_min_epu8(bytes, max_control), bytes),
          _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)))));
      if (hits != 0) {
        i += static_cast<std::size_t>(__builtin_ctz(hits));
        found = true;
        break;
      }
      i += 16;
    }
#endif
    while (!found && i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      if (may_need_escape(word)) {
        break;
      }
      i += 8;
    }
    if (i >= text.size()) {
      break;
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\') {
      continue;
    }
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (byte) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\f':
      out += "\\f";
      break;
    default:
      out += "\\u00";
      out.push_back(HEX[byte >> 4]);
      out.push_back(HEX[byte & 0xF]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

namespace {

constexpr char HEX_DIGITS[] = "0123456789abcdef";

// Which bytes the terminal and HTML escapes stop at: C0 controls, DEL, and 0xC2 (the lead byte
// of the C1 controls U+0080-U+009F; most 0xC2 sequences are printable and copied after a look),
// and for HTML also `&`, `<`, `>`, `"` and `'`.
constexpr bool terminal_special(unsigned char byte) {
  return byte < 0x20 || byte == 0x7f || byte == 0xc2;
}
constexpr bool html_special(unsigned char byte) {
  return terminal_special(byte) || byte == '&' || byte == '<' || byte == '>' || byte == '"' ||
         byte == '\'';
}

/// The first position at or after `from` whose byte is special (text.size() when none): 16
/// bytes a step with SSE2 (part of every x86-64), then byte by byte for the tail.
template <bool Html> std::size_t next_special(std::string_view text, std::size_t from) {
  std::size_t i = from;
#if defined(__SSE2__)
  const __m128i max_control = _mm_set1_epi8(0x1f);
  const __m128i del = _mm_set1_epi8(0x7f);
  const __m128i c2 = _mm_set1_epi8(static_cast<char>(0xc2));
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(text.data() + i));
    __m128i hits =
        _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(bytes, max_control), bytes),
                     _mm_or_si128(_mm_cmpeq_epi8(bytes, del), _mm_cmpeq_epi8(bytes, c2)));
    if constexpr (Html) {
      hits = _mm_or_si128(hits, _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('&')),
                                             _mm_cmpeq_epi8(bytes, _mm_set1_epi8('<'))));
      hits = _mm_or_si128(hits, _mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('>')),
                                             _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'))));
      hits = _mm_or_si128(hits, _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\'')));
    }
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) {
      return i + static_cast<std::size_t>(__builtin_ctz(mask));
    }
  }
#endif
  for (; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (Html ? html_special(byte) : terminal_special(byte)) {
      return i;
    }
  }
  return text.size();
}

/// Appends the escape of the special byte at `text[i]`, a control or 0xC2, and returns the
/// position after what it consumed.
std::size_t append_control_escape(std::string &out, std::string_view text, std::size_t i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  if (byte < 0x20 || byte == 0x7f) {
    out += "\\x";
    out.push_back(HEX_DIGITS[byte >> 4]);
    out.push_back(HEX_DIGITS[byte & 15]);
    return i + 1;
  }
  // 0xC2: a C1 control when the next byte is 0x80-0x9F.
  if (i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
      static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
    const auto c1 = static_cast<unsigned char>(text[i + 1]);
    out += "\\u00";
    out.push_back(HEX_DIGITS[c1 >> 4]);
    out.push_back(HEX_DIGITS[c1 & 15]);
    return i + 2;
  }
  out.push_back(text[i]);
  return i + 1;
}

} // namespace

void append_terminal_escaped(std::string &out, std::string_view text) {
  for (std::size_t run = 0; run < text.size();) {
    const std::size_t special = next_special<false>(text, run);
    out.append(text.data() + run, special - run);
    if (special == text.size()) {
      break;
    }
    run = append_control_escape(out, text, special);
  }
}

std::string escape_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_terminal_escaped(out, text);
  return out;
}

void append_html_escaped(std::string &out, std::string_view text) {
  for (std::size_t run = 0; run < text.size();) {
    const std::size_t special = next_special<true>(text, run);
    out.append(text.data() + run, special - run);
    if (special == text.size()) {
      break;
    }
    switch (text[special]) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      run = append_control_escape(out, text, special);
      continue;
    }
    run = special + 1;
  }
}

std::string plural(std::uint64_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string human_bytes(std::uint64_t bytes) {
  const auto n = static_cast<double>(bytes);
  if (bytes < 1000) {
    return fmt::format("{} byte{}", bytes, bytes == 1 ? "" : "s");
  }
  if (bytes < std::uint64_t{1000} * 1000) {
    return fmt::format("{:.1f} kB", n / 1e3);
  }
  if (bytes < std::uint64_t{1000} * 1000 * 1000) {
    return fmt::format("{:.1f} MB", n / 1e6);
  }
  return fmt::format("{:.2f} GB", n / 1e9);
}

} // namespace usbexfil
