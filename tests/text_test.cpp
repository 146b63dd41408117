#include "usbexfil/text.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace usbexfil;

TEST(AsciiFold, LowersAsciiLettersOnly) {
  EXPECT_EQ(ascii_fold("Q3-Revenue.XLSX"), "q3-revenue.xlsx");
  EXPECT_EQ(ascii_fold("ÄRGER"), "Ärger");
  EXPECT_EQ(ascii_fold("Δ"), "Δ");
}

TEST(AsciiIequals, ComparesWholeStringsIgnoringAsciiCase) {
  EXPECT_TRUE(ascii_iequals("Mass Download By A Single User", "mass download by a single user"));
  EXPECT_FALSE(ascii_iequals("mass download by a single user ", "mass download by a single user"));
  EXPECT_FALSE(ascii_iequals("Ärger", "ärger"));
  EXPECT_TRUE(ascii_iequals("", ""));
}

TEST(AsciiIstartsWith, TestsWholePrefix) {
  EXPECT_TRUE(ascii_istarts_with("e:\\Reports\\a.docx", "E:"));
  EXPECT_TRUE(ascii_istarts_with("E:\\Reports\\a.docx", "e:\\"));
  EXPECT_TRUE(ascii_istarts_with("E:\\x", "E"));
  EXPECT_FALSE(ascii_istarts_with("C:\\x", "E:"));
  EXPECT_FALSE(ascii_istarts_with("E", "E:"));
  EXPECT_TRUE(ascii_istarts_with("anything", ""));
}

TEST(AppendJsonString, EscapesQuotesBackslashesAndControls) {
  std::string out;
  append_json_string(out, "a\"b\\c\nd\te\x01"
                          "é");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\te\\u0001é\"");
}

TEST(EscapeTerminal, ControlBytesAndC1ControlsAreShownNotObeyed) {
  using usbexfil::escape_terminal;
  EXPECT_EQ(escape_terminal("plain text, é, \\path"), "plain text, é, \\path");
  EXPECT_EQ(escape_terminal("a\x1b[31mb\a\n\r\t\x7f"), "a\\x1b[31mb\\x07\\x0a\\x0d\\x09\\x7f");
  EXPECT_EQ(escape_terminal(std::string_view("nul\0end", 7)), "nul\\x00end");
  EXPECT_EQ(escape_terminal("csi\xc2\x9b"
                            "31m, nbsp\xc2\xa0"),
            "csi\\u009b31m, nbsp\xc2\xa0");
  EXPECT_EQ(escape_terminal("cut \xc2"), "cut \xc2"); // invalid UTF-8 left as it is
}

TEST(AppendJsonString, WordAtATimeScanEscapesExactlyWhatTheByteLoopDoes) {
  // The reference: one byte at a time, as JSON (RFC 8259) wants it.
  const auto reference = [](std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
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
        if (byte < 0x20) {
          static constexpr char HEX[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(HEX[byte >> 4]);
          out.push_back(HEX[byte & 0xF]);
        } else {
          out.push_back(c);
        }
      }
    }
    return out + "\"";
  };
  std::mt19937 random(7);
  // Mostly plain bytes (ASCII and UTF-8), now and then one to escape, at every offset of a word.
  const std::string specials =
      std::string("\"\\\n\t\x01\x1f\x7f\x80\xff ", 11) + std::string(1, '\0');
  for (int round = 0; round < 5000; ++round) {
    std::string text(random() % 70, 'a');
    for (char &c : text) {
      c = random() % 8 == 0 ? specials[random() % specials.size()]
                            : static_cast<char>('!' + random() % 94);
    }
    std::string out;
    append_json_string(out, text);
    ASSERT_EQ(out, reference(text)) << round;
  }
}

namespace {

// The references: one byte at a time, as the escapes were first written.
std::string terminal_reference(std::string_view text) {
  static constexpr char HEX[] = "0123456789abcdef";
  std::string out;
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

std::string html_reference(std::string_view text) {
  std::string out;
  for (const char c : terminal_reference(text)) {
    switch (c) {
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
      out.push_back(c);
    }
  }
  return out;
}

// Mostly plain bytes, now and then one the escapes stop at (C0 controls, DEL, 0xC2 before a C1
// continuation byte or another, the HTML specials), at every offset of a 16-byte step and in
// the tail, up to 70 bytes.
std::string random_text(std::mt19937 &random) {
  static const std::string specials =
      std::string("&<>\"'\\\n\t\x01\x1f\x1b\x20\x7f\x80\x9f\xa0\xc2\xc3\xff", 19) +
      std::string(1, '\0');
  std::string text(random() % 70, 'a');
  for (char &c : text) {
    c = random() % 6 == 0 ? specials[random() % specials.size()]
                          : static_cast<char>('!' + random() % 94);
  }
  return text;
}

} // namespace

TEST(EscapeTerminal, SimdScanEscapesExactlyWhatTheByteLoopDoes) {
  std::mt19937 random(11);
  for (int round = 0; round < 20000; ++round) {
    const std::string text = random_text(random);
    ASSERT_EQ(escape_terminal(text), terminal_reference(text)) << round;
    std::string appended = "kept ";
    append_terminal_escaped(appended, text);
    ASSERT_EQ(appended, "kept " + terminal_reference(text)) << round;
  }
}

TEST(AppendHtmlEscaped, EntitiesAndControlsAsTheByteLoopDoes) {
  std::string out;
  append_html_escaped(out, "<a href='x'>Q&A \"1\"</a>\x1b[0m\xc2\x9b\xc2\xa0");
  EXPECT_EQ(out,
            "&lt;a href=&#39;x&#39;&gt;Q&amp;A &quot;1&quot;&lt;/a&gt;\\x1b[0m\\u009b\xc2\xa0");
  std::mt19937 random(13);
  for (int round = 0; round < 20000; ++round) {
    const std::string text = random_text(random);
    out.clear();
    append_html_escaped(out, text);
    ASSERT_EQ(out, html_reference(text)) << round;
  }
}
