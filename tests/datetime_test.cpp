#include "usbexfil/datetime.hpp"

#include <gtest/gtest.h>

using usbexfil::Datetime;
using usbexfil::format_datetime;
using usbexfil::parse_datetime;

namespace {
std::string roundtrip(std::string_view text) { return format_datetime(parse_datetime(text)); }
} // namespace

TEST(ParseDatetime, ReadsUtcWithSevenDigits) {
  EXPECT_EQ(roundtrip("2026-03-10T09:41:07.4613390Z"), "2026-03-10T09:41:07.4613390Z");
}

TEST(ParseDatetime, PadsFewerDigitsAndDropsDigitsAfterTheSeventh) {
  EXPECT_EQ(roundtrip("2026-03-10T09:41:07Z"), "2026-03-10T09:41:07.0000000Z");
  EXPECT_EQ(roundtrip("2026-03-10T09:41:07.1Z"), "2026-03-10T09:41:07.1000000Z");
  EXPECT_EQ(roundtrip("2026-03-10T09:41:07.123456789Z"), "2026-03-10T09:41:07.1234567Z");
}

TEST(ParseDatetime, NoZoneIsUtcAndSpaceMayStandForT) {
  EXPECT_EQ(roundtrip("2026-03-10T09:41:07"), "2026-03-10T09:41:07.0000000Z");
  EXPECT_EQ(roundtrip("2026-03-10 09:41:07.5"), "2026-03-10T09:41:07.5000000Z");
}

TEST(ParseDatetime, AppliesOffsets) {
  EXPECT_EQ(roundtrip("2026-03-10T11:41:07+02:00"), "2026-03-10T09:41:07.0000000Z");
  EXPECT_EQ(roundtrip("2026-03-09T23:30:00-08:00"), "2026-03-10T07:30:00.0000000Z");
  EXPECT_EQ(roundtrip("2026-01-01T00:10:00+05:30"), "2025-12-31T18:40:00.0000000Z");
}

TEST(ParseDatetime, AcceptsLeapDaysOnlyInLeapYears) {
  EXPECT_EQ(roundtrip("2028-02-29T00:00:00Z"), "2028-02-29T00:00:00.0000000Z");
  EXPECT_EQ(roundtrip("2000-02-29T00:00:00Z"), "2000-02-29T00:00:00.0000000Z");
  EXPECT_TRUE(parse_datetime("2026-02-29T00:00:00Z").is_null());
  EXPECT_TRUE(parse_datetime("1900-02-29T00:00:00Z").is_null());
}

TEST(ParseDatetime, RejectsImpossibleOrMalformedText) {
  for (const char *text :
       {"2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-03-10T24:00:00Z",
        "2026-03-10T23:60:00Z", "2026-03-10T23:59:60Z", "2026-03-10T09:41:07+0200",
        "2026-03-10t09:41:07Z", "2026-03-10T09:41:07z", " 2026-03-10T09:41:07Z",
        "2026-03-10T09:41:07Z ", "2026-03-10T09:41:07.Z", "2026-03-10", "", "yesterday",
        "0000-01-01T00:00:00Z", "2026-3-10T09:41:07Z", "2026-03-10T09:41:07+24:00"}) {
    EXPECT_TRUE(parse_datetime(text).is_null()) << text;
  }
}

TEST(ParseDatetime, CoversTheWholeRange) {
  EXPECT_EQ(parse_datetime("0001-01-01T00:00:00Z").ticks(), 0);
  EXPECT_EQ(roundtrip("9999-12-31T23:59:59.9999999Z"), "9999-12-31T23:59:59.9999999Z");
  EXPECT_EQ(roundtrip("1970-01-01T00:00:00Z"), "1970-01-01T00:00:00.0000000Z");
}

TEST(ParseDatetime, AnOffsetThatLeavesTheRangeIsNull) {
  // Past the end of 9999 in UTC: out of Kusto's range (it printed as year 0000 once).
  EXPECT_TRUE(parse_datetime("9999-12-31T23:00:00-02:00").is_null());
  EXPECT_TRUE(parse_datetime("9999-12-31T23:59:59.9999999-00:01").is_null());
  EXPECT_EQ(roundtrip("9999-12-31T22:00:00-01:59"), "9999-12-31T23:59:00.0000000Z");
  EXPECT_EQ(roundtrip("9999-12-31T23:59:59.9999999-00:00"), "9999-12-31T23:59:59.9999999Z");
  // Before 0001-01-01 in UTC.
  EXPECT_TRUE(parse_datetime("0001-01-01T00:30:00+01:00").is_null());
  EXPECT_EQ(roundtrip("0001-01-01T01:00:00+01:00"), "0001-01-01T00:00:00.0000000Z");
}

TEST(Datetime, ComparisonsWithNullAreFalse) {
  const Datetime t = parse_datetime("2026-03-10T09:00:00Z");
  const Datetime null = Datetime::null();
  EXPECT_TRUE(t <= t);
  EXPECT_FALSE(null <= t);
  EXPECT_FALSE(t <= null);
  EXPECT_FALSE(t >= null);
  EXPECT_FALSE(null < t);
}

TEST(Datetime, MinAndMaxSkipNulls) {
  const Datetime a = parse_datetime("2026-03-10T09:00:00Z");
  const Datetime b = parse_datetime("2026-03-10T10:00:00Z");
  EXPECT_EQ(usbexfil::min_skip_null(Datetime::null(), b), b);
  EXPECT_EQ(usbexfil::max_skip_null(a, Datetime::null()), a);
  EXPECT_EQ(usbexfil::min_skip_null(a, b), a);
  EXPECT_EQ(usbexfil::max_skip_null(a, b), b);
  EXPECT_TRUE(usbexfil::min_skip_null(Datetime::null(), Datetime::null()).is_null());
}

TEST(FormatDatetime, NullIsEmpty) { EXPECT_EQ(format_datetime(Datetime::null()), ""); }

TEST(FormatDatetime, WritesEveryFieldAtFixedWidth) {
  EXPECT_EQ(roundtrip("0001-01-01T00:00:00Z"), "0001-01-01T00:00:00.0000000Z");
  EXPECT_EQ(roundtrip("9999-12-31T23:59:59.9999999Z"), "9999-12-31T23:59:59.9999999Z");
  EXPECT_EQ(roundtrip("2024-02-29T07:08:09.0000001Z"), "2024-02-29T07:08:09.0000001Z");
  std::string out = "at ";
  usbexfil::append_datetime(out, parse_datetime("2026-03-10T09:41:07.461339Z"));
  usbexfil::append_datetime(out, Datetime::null());
  EXPECT_EQ(out, "at 2026-03-10T09:41:07.4613390Z");
}
