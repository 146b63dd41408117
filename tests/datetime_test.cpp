#include "usbexfil/datetime.hpp"

#include <gtest/gtest.h>

using usbexfil::format_datetime;
using usbexfil::parse_datetime;

namespace {
std::string roundtrip(std::string_view text) { return format_datetime(parse_datetime(text)); }
} // namespace

TEST(ParseDatetime, ReadsUtcWithSevenDigits) {
  EXPECT_EQ(roundtrip("2026-03-10T09:41:07.4613390Z"), "2026-03-10T09:41:07.4613390Z");
}
