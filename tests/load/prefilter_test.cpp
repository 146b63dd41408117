#include "load/cheap_looks.hpp"
#include "load/line_scanner.hpp"
#include "load/prefilter.hpp"
#include "load/quick_fields.hpp"

#include <gtest/gtest.h>

#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <random>

using namespace usbexfil;
using namespace std::string_literals;

namespace {

// A line in a buffer with the scanner's padding after it (filled with needle-like bytes, which
// must never count).
RawMatch scan(const RawPrefilter &filter, const std::string &line) {
  std::string buffer = line + std::string(LINE_PADDING, 'd');
  buffer.replace(line.size(), 12, "FileCreated\\");
  return filter.scan(std::string_view(buffer.data(), line.size()));
}

const RawPrefilter CREATED_OR_RENAMED({"FileCreated", "FileRenamed"});

} // namespace

TEST(RawPrefilter, FindsNeedlesAnywhere) {
  EXPECT_EQ(scan(CREATED_OR_RENAMED, R"({"ActionType":"FileCreated"})"), RawMatch::needle);
  EXPECT_EQ(scan(CREATED_OR_RENAMED, "FileRenamed"), RawMatch::needle);
  EXPECT_EQ(scan(CREATED_OR_RENAMED, std::string(100, ' ') + "FileRenamed"), RawMatch::needle);
  EXPECT_EQ(scan(CREATED_OR_RENAMED, std::string(1000, 'x') + "FileCreated" + std::string(7, 'x')),
            RawMatch::needle);
}

TEST(RawPrefilter, RejectsLinesWithoutNeedleOrEscape) {
  EXPECT_EQ(scan(CREATED_OR_RENAMED, R"({"ActionType":"FileModified"})"), RawMatch::none);
  EXPECT_EQ(scan(CREATED_OR_RENAMED, R"({"ActionType":"FileCreate"})"), RawMatch::none);
  EXPECT_EQ(scan(CREATED_OR_RENAMED, R"({"ActionType":"FileCreatex"})"), RawMatch::none);
  EXPECT_EQ(scan(CREATED_OR_RENAMED, ""), RawMatch::none);
  EXPECT_EQ(scan(CREATED_OR_RENAMED, "FileCreate"), RawMatch::none); // completed only in padding
}

TEST(RawPrefilter, ReportsGenuineUnicodeEscapes) {
  EXPECT_EQ(scan(CREATED_OR_RENAMED, R"({"ActionType":"\u0046ileCreated"})"), RawMatch::escape);
  EXPECT_EQ(scan(CREATED_OR_RENAMED, R"({"A":"FileCreated","B":"\u00e9"})"), RawMatch::escape);
  EXPECT_EQ(scan(CREATED_OR_RENAMED, R"({"P":"\\\u0041"})"), RawMatch::escape);
  EXPECT_EQ(scan(CREATED_OR_RENAMED, std::string(40, 'x') + "\\u0046"), RawMatch::escape);
}

TEST(RawPrefilter, EscapedBackslashBeforeUIsNotAnEscape) {
  EXPECT_EQ(scan(CREATED_OR_RENAMED, R"({"FolderPath":"C:\\users\\x"})"), RawMatch::none);
  EXPECT_EQ(scan(CREATED_OR_RENAMED, R"({"FolderPath":"C:\\\\users","A":"FileRenamed"})"),
            RawMatch::needle);
  EXPECT_EQ(scan(CREATED_OR_RENAMED, "x\\"), RawMatch::none); // `u` only in the padding
}

namespace {

bool quick(std::string_view json, std::array<std::string_view, 2> &values, QuickFields<2> &reader) {
  static std::string buffer;
  buffer.assign(json);
  buffer.append(simdjson::SIMDJSON_PADDING, ' ');
  return reader.read(std::string_view(buffer.data(), json.size()), values);
}

} // namespace

TEST(QuickFields, ReadsStringsNullAndMissingAsText) {
  QuickFields<2> reader(std::array<std::string_view, 2>{"ActionType", "DeviceId"});
  std::array<std::string_view, 2> values;
  ASSERT_TRUE(quick(R"({"DeviceId":"d\"1","x":[1,{"a":2}],"ActionType":"UsbDriveMounted"})", values,
                    reader));
  EXPECT_EQ(values[0], "UsbDriveMounted");
  EXPECT_EQ(values[1], "d\"1");
  ASSERT_TRUE(quick(R"({"ActionType":null})", values, reader));
  EXPECT_EQ(values[0], "");
  EXPECT_EQ(values[1], "");
}

TEST(QuickFields, LastDuplicateKeyWins) {
  QuickFields<2> reader(std::array<std::string_view, 2>{"ActionType", "DeviceId"});
  std::array<std::string_view, 2> values;
  ASSERT_TRUE(quick(R"({"ActionType":"A","DeviceId":"d","ActionType":"B"})", values, reader));
  EXPECT_EQ(values[0], "B");
}

TEST(QuickFields, DefersAnythingUnusualToTheFullParse) {
  QuickFields<2> reader(std::array<std::string_view, 2>{"ActionType", "DeviceId"});
  std::array<std::string_view, 2> values;
  EXPECT_FALSE(quick(R"({"ActionType":42})", values, reader));
  EXPECT_FALSE(quick(R"({"DeviceId":{"a":1}})", values, reader));
  EXPECT_FALSE(quick(R"([1,2])", values, reader));
  EXPECT_FALSE(quick(R"({"ActionType":"A")", values, reader));
  EXPECT_FALSE(quick(R"(not json)", values, reader));
}

namespace {

const std::unordered_set<std::string_view> UPNS{"avery.lee@contoso.com", "blake.smith@contoso.com"};
const RawPrefilter CREATED_BY_UPN({"FileCreated", "FileRenamed"}, "InitiatingProcessAccountUpn",
                                  &UPNS);

} // namespace

TEST(RawPrefilterKey, KeepsLinesWhoseKeyHoldsAValue) {
  EXPECT_EQ(
      scan(CREATED_BY_UPN,
           R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"avery.lee@contoso.com"})"),
      RawMatch::needle);
  EXPECT_EQ(
      scan(CREATED_BY_UPN, std::string(300, ' ') +
                               R"({"InitiatingProcessAccountUpn" :  "blake.smith@contoso.com",)"
                               R"("ActionType":"FileRenamed"})"),
      RawMatch::needle);
  // Nested members count too (the full parse decides which one is the column).
  EXPECT_EQ(
      scan(
          CREATED_BY_UPN,
          R"({"ActionType":"FileCreated","X":{"InitiatingProcessAccountUpn":"avery.lee@contoso.com"}})"),
      RawMatch::needle);
  // One of two places may match.
  EXPECT_EQ(scan(CREATED_BY_UPN,
                 R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"carol@x",)"
                 R"("InitiatingProcessAccountUpn":"avery.lee@contoso.com"})"),
            RawMatch::needle);
}

TEST(RawPrefilterKey, SkipsLinesWhoseKeyHoldsNoValue) {
  EXPECT_EQ(
      scan(CREATED_BY_UPN,
           R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"carol@contoso.com"})"),
      RawMatch::none);
  // The value elsewhere, not at the key.
  EXPECT_EQ(scan(CREATED_BY_UPN,
                 R"({"ActionType":"FileCreated","AccountUpn":"avery.lee@contoso.com",)"
                 R"("InitiatingProcessAccountUpn":"carol@contoso.com"})"),
            RawMatch::none);
  // The key's name as a value, or inside a longer name.
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","A":"InitiatingProcessAccountUpn",)"
                                 R"("B":"avery.lee@contoso.com"})"),
            RawMatch::none);
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","XInitiatingProcessAccountUpn":)"
                                 R"("avery.lee@contoso.com"})"),
            RawMatch::none);
  // A prefix of a value is not the value; the key absent reads as empty.
  EXPECT_EQ(
      scan(CREATED_BY_UPN,
           R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"avery.lee@contoso"})"),
      RawMatch::none);
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated"})"), RawMatch::none);
  EXPECT_EQ(
      scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":null})"),
      RawMatch::none);
  // Names of the same length and first byte.
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","InitiatingProcessAccountSid":)"
                                 R"("avery.lee@contoso.com","InitiatingProcessAccountUpn":"x"})"),
            RawMatch::none);
  // The needle is still required.
  EXPECT_EQ(
      scan(CREATED_BY_UPN,
           R"({"ActionType":"FileDeleted","InitiatingProcessAccountUpn":"avery.lee@contoso.com"})"),
      RawMatch::none);
}

TEST(RawPrefilterKey, LeavesWhatItCannotReadRawToTheParse) {
  // Escapes in the value, a value that is not a string, a line cut short.
  EXPECT_EQ(
      scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"a\/b"})"),
      RawMatch::needle);
  EXPECT_EQ(
      scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":42})"),
      RawMatch::needle);
  EXPECT_EQ(
      scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"avery)"),
      RawMatch::needle);
  // `\u` anywhere: the key or the value may be spelled with it.
  EXPECT_EQ(scan(CREATED_BY_UPN,
                 R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"carol",)"
                 R"("X":"\u00e9"})"),
            RawMatch::escape);
}

namespace {

// What the sieve must give for `range`, from splitting it at each newline.
struct Expected {
  std::uint64_t lines = 0;
  std::uint64_t blank = 0;
  std::vector<SievedLines::Line> kept;
};

// Whether a line that is not blank cannot be a record: its first and last bytes other than
// spaces, tabs and CRs are not `{` and `}` (nor `[` and `]`), or it holds a byte from NUL to
// backspace (0x00-0x08).
bool suspect(const std::string &line) {
  const std::size_t first = line.find_first_not_of(" \t\r");
  const std::size_t last = line.find_last_not_of(" \t\r");
  const bool object = line[first] == '{' && line[last] == '}';
  const bool array = line[first] == '[' && line[last] == ']';
  return !(object || array) || std::any_of(line.begin(), line.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 8;
  });
}

// `keeps(line)`: whether the sieve must keep a line with the record shape; it keeps every line
// without it too, marked suspect.
template <class Keeps> Expected split(const std::string &range, Keeps keeps) {
  Expected expected;
  for (std::size_t start = 0; start < range.size();) {
    const std::size_t newline = std::min(range.find('\n', start), range.size());
    const std::string line = range.substr(start, newline - start);
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      ++expected.blank;
    } else if (suspect(line)) {
      expected.kept.push_back({start, newline, expected.lines, true});
    } else if (keeps(line)) {
      expected.kept.push_back({start, newline, expected.lines, false});
    }
    ++expected.lines;
    start = newline + 1;
  }
  return expected;
}

void expect_sieve(const RawPrefilter &filter, const std::string &range, const Expected &expected) {
  std::string buffer = range + std::string(LINE_PADDING, '\0');
  SievedLines out;
  out.kept.push_back({9, 9, 9}); // cleared by the sieve
  filter.sieve(buffer.data(), buffer.data() + range.size(), out);
  EXPECT_EQ(out.lines, expected.lines);
  EXPECT_EQ(out.blank, expected.blank);
  ASSERT_EQ(out.kept.size(), expected.kept.size()) << range;
  for (std::size_t i = 0; i < out.kept.size(); ++i) {
    EXPECT_EQ(out.kept[i].begin, expected.kept[i].begin);
    EXPECT_EQ(out.kept[i].end, expected.kept[i].end);
    EXPECT_EQ(out.kept[i].index, expected.kept[i].index);
    EXPECT_EQ(out.kept[i].suspect, expected.kept[i].suspect) << range;
  }
}

// Random ranges of lines built from pieces that matter to the sieve, so that marks, newlines,
// NUL bytes and 64-byte block boundaries fall at every offset against each other. Most lines
// that are not blank start with `{"` and end with `}` (then blanks): the record shape; the others
// are damaged.
std::string random_range(std::mt19937 &random, std::size_t max_pieces = 12) {
  static const std::vector<std::string> pieces = {
      "x",
      "yy",
      "FileCreated",
      "FileRenamed",
      "FileCreate",
      "\\u0041",
      "\\\\u",
      "\\\\\\u00e9",
      "\\",
      "u",
      "\"",
      "\"InitiatingProcessAccountUpn\":\"avery.lee@contoso.com\"",
      "\"InitiatingProcessAccountUpn\" : \"carol@contoso.com\"",
      "\"InitiatingProcessAccountUpn\":",
      "\"InitiatingProcessAccountUpn\":null",
      "\"InitiatingProcessAccountUpn\":7",
      "\"InitiatingProcessAccountUpn\":\"avery.lee@contoso.com",
      "\"InitiatingProcessAccountSid\":\"avery.lee@contoso.com\"",
      "\"InitiatingProcessCommandLine\"",
      "InitiatingProcessAccountUpn",
      std::string(40, 'z'),
      std::string(63, '.'),
      "}",
      " ",
      "\t",
      "\x0b",
      std::string(1, '\0'),
      std::string(70, '\0'),
      "\x01",
      "\x08"};
  // Every start holds `{"` (a needle the key test below relies on).
  static const std::vector<std::string> starts = {"{\"",  "{\"",  "{\"",   "{\"",   " \t{\"",
                                                  "[{\"", "x{\"", "\"{\"", "\0{\""s};
  static const std::vector<std::string> closes = {"}", "}", "}", "} \t", "}\r", "", "]", "\0}"s};
  static const std::vector<std::string> ends = {"\n", "\r\n", "\n\n", "\n \t\r\n"};
  std::string range;
  const std::size_t lines = random() % 8;
  for (std::size_t line = 0; line < lines; ++line) {
    range += starts[random() % starts.size()];
    for (std::size_t count = random() % max_pieces; count > 0; --count) {
      // NUL bytes rarely, as in real damage, so that most lines are whole records.
      const std::string &piece = pieces[random() % pieces.size()];
      if (static_cast<unsigned char>(piece.front()) > 8 || random() % 4 == 0) {
        range += piece;
      }
    }
    range += closes[random() % closes.size()];
    if (line + 1 < lines || random() % 2 == 0) {
      range += ends[random() % ends.size()];
    }
  }
  return range;
}

} // namespace

TEST(RawPrefilterSieve, KeepsExactlyTheLinesWithANeedleOrEscape) {
  std::mt19937 random(7);
  for (int round = 0; round < 3000; ++round) {
    const std::string range = random_range(random);
    expect_sieve(CREATED_OR_RENAMED, range, split(range, [](const std::string &line) {
                   return scan(CREATED_OR_RENAMED, line) != RawMatch::none;
                 }));
  }
}

TEST(RawPrefilterSieve, WithAKeyKeepsExactlyTheLinesWhereTheKeyMayHoldAValue) {
  // `{"` is in every line that is not blank, so `scan` with it as the needle answers for the key
  // and the escapes alone.
  const RawPrefilter key_only({"{\""}, "InitiatingProcessAccountUpn", &UPNS);
  std::mt19937 random(11);
  for (int round = 0; round < 3000; ++round) {
    const std::string range = random_range(random);
    const Expected expected = split(
        range, [&](const std::string &line) { return scan(key_only, line) != RawMatch::none; });
    expect_sieve(CREATED_BY_UPN, range, expected);
    // Every line the per-line test admits is among them.
    for (std::size_t start = 0; start < range.size();) {
      const std::size_t newline = std::min(range.find('\n', start), range.size());
      if (scan(CREATED_BY_UPN, range.substr(start, newline - start)) != RawMatch::none) {
        EXPECT_TRUE(
            std::any_of(expected.kept.begin(), expected.kept.end(),
                        [&](const SievedLines::Line &kept) { return kept.begin == start; }));
      }
      start = newline + 1;
    }
  }
}

TEST(RawPrefilterSieve, EmptyRangeAndLastLineWithoutNewline) {
  expect_sieve(CREATED_OR_RENAMED, "", Expected{});
  expect_sieve(CREATED_OR_RENAMED, "{a}\n{FileCreated}", Expected{2, 0, {{4, 17, 1, false}}});
  expect_sieve(CREATED_OR_RENAMED, "\n \r\n{FileRenamed}\n", Expected{3, 2, {{4, 17, 2, false}}});
}

TEST(RawPrefilterSieve, KeepsEveryLineThatCannotBeARecordMarkedSuspect) {
  // Lines the rule needs nothing from: kept only when damaged, whatever the needles.
  const std::string nul_block = "{\"a\":1}\n" + std::string(200, '\0') + "\n{\"b\":2}\n";
  expect_sieve(CREATED_OR_RENAMED, nul_block, Expected{3, 0, {{8, 208, 1, true}}});
  expect_sieve(CREATED_OR_RENAMED, "{\"a\":\"x\0y\"}\n"s, Expected{1, 0, {{0, 11, 0, true}}});
  // Any raw byte from NUL to backspace; a tab (whitespace between tokens) or a vertical tab is
  // left to the parser.
  expect_sieve(CREATED_OR_RENAMED, "{\"a\":\"x\x01y\"}\n{\"b\":\"\x08\"}\n",
               Expected{2, 0, {{0, 11, 0, true}, {12, 21, 1, true}}});
  expect_sieve(CREATED_OR_RENAMED, "{\"a\":\t1}\n{\"b\":\"\x0b\"}\n", Expected{2, 0, {}});
  expect_sieve(CREATED_OR_RENAMED, "garbage 1 {not json\n{\"a\":1}\n{\"cut\":\"he",
               Expected{3, 0, {{0, 19, 0, true}, {28, 38, 2, true}}});
  // Blanks around the shape are allowed; a line that is an array has the shape too.
  expect_sieve(CREATED_OR_RENAMED, " \t{\"a\":1} \r\n[{\"b\":2}]\n", Expected{2, 0, {}});
  // A damaged line that holds a needle is kept once, suspect.
  expect_sieve(CREATED_OR_RENAMED, "{\"ActionType\":\"FileCreated\"\n",
               Expected{1, 0, {{0, 27, 0, true}}});
}

TEST(RawPrefilterKey, NoKeyTestWhenTheEmptyValueIsAdmitted) {
  const std::unordered_set<std::string_view> with_empty{"", "avery.lee@contoso.com"};
  const RawPrefilter filter({"FileCreated"}, "InitiatingProcessAccountUpn", &with_empty);
  EXPECT_EQ(scan(filter, R"({"ActionType":"FileCreated"})"), RawMatch::needle);
  EXPECT_EQ(scan(filter, R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"carol"})"),
            RawMatch::needle);
}

TEST(QuickFields, UnescapesKeysWhenAskedAndValuesAlways) {
  QuickFields<2> reader(std::array<std::string_view, 2>{"ActionType", "DeviceId"});
  std::array<std::string_view, 2> values;
  const std::string line = R"({"\u0041ctionType":"File\u0043reated","DeviceId":"d\u00e9"})";
  const std::string padded = line + std::string(simdjson::SIMDJSON_PADDING, ' ');
  ASSERT_TRUE(reader.read(std::string_view(padded.data(), line.size()), values, true));
  EXPECT_EQ(values[0], "FileCreated");
  EXPECT_EQ(values[1], "d\xC3\xA9");
  ASSERT_TRUE(reader.read(std::string_view(padded.data(), line.size()), values, false));
  EXPECT_EQ(values[0], ""); // the raw key "\u0041ctionType" is not ActionType
}

TEST(CheapLooks, ReadsLinesWithEscapesInsteadOfPassingThemAll) {
  const std::unordered_set<std::string_view> users{"alice@contoso.com"};
  CheapLooks<2> looks({"FileCreated"},
                      std::array<std::string_view, 2>{"ActionType", "InitiatingProcessAccountUpn"},
                      "InitiatingProcessAccountUpn", &users);
  const auto admit = [](const std::array<std::string_view, 2> &f) {
    return f[0] == "FileCreated" && f[1] == "alice@contoso.com";
  };
  const auto may_admit = [&](const std::string &line) {
    const std::string padded = line + std::string(LINE_PADDING, ' ');
    return looks.may_admit(std::string_view(padded.data(), line.size()), admit);
  };
  // Escaped keys and values that spell an admitted row: kept for the full parse.
  EXPECT_TRUE(may_admit(
      R"({"\u0041ctionType":"\u0046ileCreated","InitiatingProcessAccountUpn":"alic\u0065@contoso.com"})"));
  // A line with an escape elsewhere whose fields are not admitted: skipped.
  EXPECT_FALSE(may_admit(
      R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"bob@contoso.com","X":"caf\u00e9"})"));
  EXPECT_FALSE(may_admit(
      R"({"ActionType":"FileDeleted","InitiatingProcessAccountUpn":"alice@contoso.com","X":"\u0041"})"));
  // Without escapes the raw looks decide first.
  EXPECT_FALSE(may_admit(
      R"({"ActionType":"FileDeleted","InitiatingProcessAccountUpn":"alice@contoso.com"})"));
  EXPECT_TRUE(may_admit(
      R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"alice@contoso.com"})"));
  // Malformed JSON with an escape: left to the full parse, which reports it.
  EXPECT_TRUE(may_admit(R"({"ActionType":"\u0046ileCreated",)"));
}

// Every kernel this CPU supports (simd/level.hpp) answers as the baseline one does, line by line
// and range by range. The tests above run the kernel in use; ctest runs them once more for each
// level with USBEXFIL_SIMD set (tests/CMakeLists.txt).
class PrefilterKernels : public ::testing::TestWithParam<simd::Level> {};

TEST_P(PrefilterKernels, AgreeWithTheBaselineKernel) {
  const simd::Level level = GetParam();
  if (!simd::supported(level)) {
    GTEST_SKIP() << "this CPU does not support " << simd::name(level);
  }
  struct Filters {
    RawPrefilter tested;
    RawPrefilter baseline;
  };
  const std::vector<std::string> needles{"FileCreated", "FileRenamed"};
  const std::vector<std::string> short_needle{"yy"};
  Filters filters[] = {
      {RawPrefilter(needles, {}, nullptr, level),
       RawPrefilter(needles, {}, nullptr, simd::Level::sse2)},
      {RawPrefilter(needles, "InitiatingProcessAccountUpn", &UPNS, level),
       RawPrefilter(needles, "InitiatingProcessAccountUpn", &UPNS, simd::Level::sse2)},
      {RawPrefilter(short_needle, {}, nullptr, level),
       RawPrefilter(short_needle, {}, nullptr, simd::Level::sse2)},
  };
  std::mt19937 random(static_cast<unsigned>(level) + 23);
  for (int round = 0; round < 2000; ++round) {
    // Long lines too, so that a line spans several 64-byte blocks.
    const std::string range = random_range(random, round % 2 == 0 ? 12 : 40);
    std::string buffer = range + std::string(LINE_PADDING, '\0');
    for (const Filters &pair : filters) {
      EXPECT_EQ(pair.tested.level(), level);
      SievedLines tested;
      SievedLines baseline;
      pair.tested.sieve(buffer.data(), buffer.data() + range.size(), tested);
      pair.baseline.sieve(buffer.data(), buffer.data() + range.size(), baseline);
      ASSERT_EQ(tested.lines, baseline.lines) << range;
      ASSERT_EQ(tested.blank, baseline.blank) << range;
      ASSERT_EQ(tested.kept.size(), baseline.kept.size()) << range;
      for (std::size_t i = 0; i < tested.kept.size(); ++i) {
        EXPECT_EQ(tested.kept[i].begin, baseline.kept[i].begin) << range;
        EXPECT_EQ(tested.kept[i].end, baseline.kept[i].end) << range;
        EXPECT_EQ(tested.kept[i].index, baseline.kept[i].index) << range;
        EXPECT_EQ(tested.kept[i].suspect, baseline.kept[i].suspect) << range;
      }
      for (std::size_t start = 0; start < range.size();) {
        const std::size_t newline = std::min(range.find('\n', start), range.size());
        const std::string line = range.substr(start, newline - start);
        EXPECT_EQ(scan(pair.tested, line), scan(pair.baseline, line)) << line;
        start = newline + 1;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Levels, PrefilterKernels, ::testing::ValuesIn(simd::LEVELS),
                         [](const ::testing::TestParamInfo<simd::Level> &param) {
                           return std::string(simd::name(param.param));
                         });

TEST(SimdLevel, NamesRoundTripAndTheBaselineIsAlwaysSupported) {
  for (const simd::Level level : simd::LEVELS) {
    EXPECT_EQ(simd::parse(simd::name(level)), level);
  }
  EXPECT_FALSE(simd::parse("avx3"));
  EXPECT_FALSE(simd::parse(""));
  EXPECT_TRUE(simd::supported(simd::Level::sse2));
  if (simd::supported(simd::Level::avx512)) {
    EXPECT_TRUE(simd::supported(simd::Level::avx2));
  }
}

TEST(SimdLevel, ActiveIsTheRequestedLevelWhenSupportedElseTheBestOne) {
  const char *wanted = std::getenv("USBEXFIL_SIMD");
  const std::optional<simd::Level> requested =
      wanted != nullptr ? simd::parse(wanted) : std::nullopt;
  if (requested && simd::supported(*requested)) {
    EXPECT_EQ(simd::active(), *requested);
    EXPECT_EQ(simd::active_note(), "");
    return;
  }
  simd::Level best = simd::Level::sse2;
  for (const simd::Level level : simd::LEVELS) {
    if (simd::supported(level)) {
      best = level;
    }
  }
  EXPECT_EQ(simd::active(), best);
  if (wanted != nullptr && *wanted != '\0') {
    EXPECT_NE(simd::active_note().find("USBEXFIL_SIMD="), std::string::npos);
  } else {
    EXPECT_EQ(simd::active_note(), "");
  }
  EXPECT_EQ(RawPrefilter({"FileCreated"}).level(), simd::active());
}
