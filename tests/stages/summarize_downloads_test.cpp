#include "stage_test_support.hpp"
#include "usbexfil/stages/summarize_downloads.hpp"

#include <gtest/gtest.h>

using namespace usbexfil;
using namespace usbexfil::testing;

namespace {
constexpr std::string_view DL = "FileDownloaded";
} // namespace

TEST(SummarizeDownloads, GroupsByAllSixKeysExactly) {
  CloudAppEventsTable t;
  add_download(t, {"2026-03-10T09:00:00Z", DL, "SPO", "a", "u", "1", "Redmond", "US", "x"});
  add_download(t, {"2026-03-10T09:05:00Z", DL, "SPO", "a", "u", "1", "Redmond", "US", "y"});
  add_download(t, {"2026-03-10T09:06:00Z", DL, "SPO", "a", "u", "1", "redmond", "US", "z"});
  add_download(t, {"2026-03-10T09:07:00Z", DL, "SPO", "a", "u", "1", "Redmond", "us", "z"});
  add_download(t, {"2026-03-10T09:08:00Z", DL, "ODB", "a", "u", "1", "Redmond", "US", "z"});
  const auto groups = summarize_downloads(t);
  ASSERT_EQ(groups.size(), 4u);
  EXPECT_EQ(groups[0].files, (StringSet{"x", "y"}));
  EXPECT_EQ(format_datetime(groups[0].start_time), "2026-03-10T09:00:00.0000000Z");
  EXPECT_EQ(format_datetime(groups[0].end_time), "2026-03-10T09:05:00.0000000Z");
}

TEST(SummarizeDownloads, KeepsOnlyExactFileDownloaded) {
  CloudAppEventsTable t;
  add_download(t, {"2026-03-10T09:00:00Z", "filedownloaded", "SPO", "a", "u", "1", "", "", "x"});
  add_download(t, {"2026-03-10T09:00:00Z", "FileAccessed", "SPO", "a", "u", "1", "", "", "x"});
  EXPECT_TRUE(summarize_downloads(t).empty());
}

TEST(SummarizeDownloads, EmptyNameCountsAndNullTimesAreSkippedByMinMax) {
  CloudAppEventsTable t;
  add_download(t, {"2026-03-10T09:00:00Z", DL, "", "", "", "", "", "", ""});
  add_download(t, {"not a time", DL, "", "", "", "", "", "", "b"});
  add_download(t, {"2026-03-10T08:00:00Z", DL, "", "", "", "", "", "", "a"});
  add_download(t, {"2026-03-10T10:00:00Z", DL, "", "", "", "", "", "", "a"});
  const auto groups = summarize_downloads(t);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].files, (StringSet{"", "a", "b"}));
  EXPECT_EQ(format_datetime(groups[0].start_time), "2026-03-10T08:00:00.0000000Z");
  EXPECT_EQ(format_datetime(groups[0].end_time), "2026-03-10T10:00:00.0000000Z");
}

TEST(SummarizeDownloads, AllNullTimesGiveNullBounds) {
  CloudAppEventsTable t;
  add_download(t, {"", DL, "", "", "", "", "", "", "a"});
  const auto groups = summarize_downloads(t);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_TRUE(groups[0].start_time.is_null());
  EXPECT_TRUE(groups[0].end_time.is_null());
}

TEST(SummarizeDownloads, CountsExactlyBeyondDcountPrecision) {
  CloudAppEventsTable t;
  std::vector<std::string> names;
  for (int i = 0; i < 5000; ++i) {
    names.push_back("file-" + std::to_string(i) + ".docx");
  }
  for (const auto &name : names) {
    add_download(t, {"2026-03-10T09:00:00Z", DL, "", "a", "", "", "", "", name});
    add_download(t, {"2026-03-10T09:00:00Z", DL, "", "a", "", "", "", "", name});
  }
  const auto groups = summarize_downloads(t);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].files.size(), 5000u);
  EXPECT_TRUE(std::is_sorted(groups[0].files.begin(), groups[0].files.end()));
}
