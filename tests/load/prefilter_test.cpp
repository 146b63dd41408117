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

const std::unordered_set<std::string_view> UPNS{"avery.lee@contoso.com", "blake.smith@contoso.com"};
const RawPrefilter CREATED_BY_UPN({"FileCreated", "FileRenamed"}, "InitiatingProcessAccountUpn",
                                  &UPNS);

} // namespace

TEST(RawPrefilterKey, KeepsLinesWhoseKeyHoldsAValue) {
  EXPECT_EQ(scan(CREATED_BY_UPN,
                 R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"avery.lee@contoso.com"})"),
            RawMatch::needle);
  EXPECT_EQ(scan(CREATED_BY_UPN, std::string(300, ' ') +
                                     R"({"InitiatingProcessAccountUpn" :  "blake.smith@contoso.com",)"
                                     R"("ActionType":"FileRenamed"})"),
            RawMatch::needle);
  // Nested members count too (the full parse decides which one is the column).
  EXPECT_EQ(scan(CREATED_BY_UPN,
                 R"({"ActionType":"FileCreated","X":{"InitiatingProcessAccountUpn":"avery.lee@contoso.com"}})"),
            RawMatch::needle);
  // One of two places may match.
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"carol@x",)"
                                 R"("InitiatingProcessAccountUpn":"avery.lee@contoso.com"})"),
            RawMatch::needle);
}

TEST(RawPrefilterKey, SkipsLinesWhoseKeyHoldsNoValue) {
  EXPECT_EQ(scan(CREATED_BY_UPN,
                 R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"carol@contoso.com"})"),
            RawMatch::none);
  // The value elsewhere, not at the key.
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","AccountUpn":"avery.lee@contoso.com",)"
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
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"avery.lee@contoso"})"),
            RawMatch::none);
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated"})"), RawMatch::none);
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":null})"),
            RawMatch::none);
  // Names of the same length and first byte.
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","InitiatingProcessAccountSid":)"
                                 R"("avery.lee@contoso.com","InitiatingProcessAccountUpn":"x"})"),
            RawMatch::none);
  // The needle is still required.
  EXPECT_EQ(scan(CREATED_BY_UPN,
                 R"({"ActionType":"FileDeleted","InitiatingProcessAccountUpn":"avery.lee@contoso.com"})"),
            RawMatch::none);
}

TEST(RawPrefilterKey, LeavesWhatItCannotReadRawToTheParse) {
  // Escapes in the value, a value that is not a string, a line cut short.
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"a\/b"})"),
            RawMatch::needle);
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":42})"),
            RawMatch::needle);
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"avery)"),
            RawMatch::needle);
  // `\u` anywhere: the key or the value may be spelled with it.
  EXPECT_EQ(scan(CREATED_BY_UPN, R"({"ActionType":"FileCreated","InitiatingProcessAccountUpn":"carol",)"
                                 R"("X":"\u00e9"})"),
            RawMatch::escape);
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
