#include "load/cheap_looks.hpp"
#include "load/line_scanner.hpp"
#include "load/prefilter.hpp"
#include "load/quick_fields.hpp"

#include <gtest/gtest.h>

#include <simdjson.h>

using namespace usbexfil;

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

bool spot(const PrefixSpotter &spotter, const std::string &line) {
  std::string buffer = line + std::string(LINE_PADDING, '"');
  return spotter.spot(std::string_view(buffer.data(), line.size()));
}

} // namespace

TEST(PrefixSpotter, SpotsAnyValueAsAString) {
  const auto spotter = PrefixSpotter::make({"avery.lee@contoso.com", "blake.smith@contoso.com"});
  ASSERT_TRUE(spotter.has_value());
  EXPECT_TRUE(spot(*spotter, R"({"InitiatingProcessAccountUpn":"avery.lee@contoso.com"})"));
  EXPECT_TRUE(spot(*spotter, std::string(300, ' ') + R"("blake.smith@contoso.com")"));
  EXPECT_FALSE(spot(*spotter, R"({"InitiatingProcessAccountUpn":"carol@contoso.com"})"));
  EXPECT_FALSE(
      spot(*spotter, R"({"Path":"C:\\Users\\avery.lee@contoso.com"})")); // not a string start
  EXPECT_FALSE(spot(*spotter, ""));
}

TEST(PrefixSpotter, ComparesEightBytePrefixesSoAMatchIsOnlyAMaybe) {
  const auto spotter = PrefixSpotter::make({"avery.lee@contoso.com"});
  ASSERT_TRUE(spotter.has_value());
  EXPECT_TRUE(spot(*spotter, R"({"A":"avery.lexxxxx"})"));
  EXPECT_FALSE(spot(*spotter, R"({"A":"avery.l"})")); // the padding's quotes never complete it
}

TEST(PrefixSpotter, RefusesValuesItCannotSpotExactly) {
  EXPECT_FALSE(PrefixSpotter::make({"short"}).has_value());
  EXPECT_FALSE(PrefixSpotter::make({"a/b/c/d/e/f"}).has_value());
  EXPECT_FALSE(PrefixSpotter::make({"with\"quote-inside"}).has_value());
  EXPECT_FALSE(PrefixSpotter::make({"\xC3\x84rger-bericht"}).has_value()); // non-ASCII first byte
  EXPECT_TRUE(PrefixSpotter::make({"9c4f2a7be1d03586f0a1b2c3d4e5f60718293a4b"}).has_value());
  EXPECT_TRUE(PrefixSpotter::make({}).has_value());
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
  CheapLooks<2> looks({"FileCreated"}, &users,
                      std::array<std::string_view, 2>{"ActionType", "InitiatingProcessAccountUpn"});
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
