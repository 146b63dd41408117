#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

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
    // Eight bytes at a time while none needs an escape (most text): they join the run.
    while (i + 8 <= text.size()) {
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

std::string escape_terminal(std::string_view text) {
  static constexpr char HEX[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out.push_back(HEX[byte >> 4]);
      out.push_back(HEX[byte & 15]);
    } else if (byte == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      const auto c1 = static_cast<unsigned char>(text[++i]);
      out += "\\u00";
      out.push_back(HEX[c1 >> 4]);
      out.push_back(HEX[c1 & 15]);
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
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
