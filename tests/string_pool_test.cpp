#include "usbexfil/string_pool.hpp"

#include <gtest/gtest.h>

#include <string>

using usbexfil::StringPool;

TEST(StringPool, InternsEqualStringsOnce) {
  StringPool pool;
  std::string text = "DESKTOP-4F7Q2KD";
  const auto a = pool.intern(text);
  text[0] = 'X';
  const auto b = pool.intern("DESKTOP-4F7Q2KD");
  EXPECT_EQ(a, "DESKTOP-4F7Q2KD");
  EXPECT_EQ(a.data(), b.data());
}

TEST(StringPool, ViewsSurviveAbsorbAndLargeStrings) {
  StringPool first;
  StringPool second;
  const std::string big(200'000, 'x');
  const auto small = second.intern("E:\\Reports\\a.docx");
  const auto large = second.intern(big);
  first.absorb(std::move(second));
  for (int i = 0; i < 10'000; ++i) {
    first.intern(std::to_string(i));
  }
  EXPECT_EQ(small, "E:\\Reports\\a.docx");
  EXPECT_EQ(large, big);
  EXPECT_EQ(first.intern(""), "");
}
