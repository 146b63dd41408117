#include "stage_test_support.hpp"
#include "usbexfil/stages/summarize_file_copies.hpp"

#include <gtest/gtest.h>

using namespace usbexfil;
using namespace usbexfil::testing;

TEST(SummarizeFileCopies, GroupsByUserDeviceAndProcess) {
  DeviceFileEventsTable t;
  add_file_event(t, {"2026-03-10T10:00:00Z", "FileCreated", "a", "E:\\a", "d1", "ws1", "u",
                     "explorer.exe", "userinit.exe"});
  add_file_event(t, {"2026-03-10T10:05:00Z", "FileCreated", "b", "E:\\b", "d1", "ws1", "u",
                     "explorer.exe", "userinit.exe"});
  add_file_event(t, {"2026-03-10T10:06:00Z", "FileCreated", "a", "E:\\a", "d1", "ws1", "u",
                     "explorer.exe", "userinit.exe"});
  add_file_event(t, {"2026-03-10T10:01:00Z", "FileCreated", "a", "F:\\a", "d1", "ws1", "u",
                     "robocopy.exe", "cmd.exe"});
  add_file_event(t, {"2026-03-10T10:01:00Z", "FileCreated", "a", "", "d1", "ws1", "u",
                     "robocopy.exe", "cmd.exe"});
  add_file_event(t, {"2026-03-10T10:01:00Z", "FileCreated", "a", "F:\\a", "d2", "ws1", "u",
                     "robocopy.exe", "cmd.exe"});
  const auto groups = summarize_file_copies(t, {0, 1, 2, 3, 4, 5});
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].files, (StringSet{"E:\\a", "E:\\b"}));
  EXPECT_EQ(format_datetime(groups[0].start_time), "2026-03-10T10:00:00.0000000Z");
  EXPECT_EQ(format_datetime(groups[0].end_time), "2026-03-10T10:06:00.0000000Z");
  EXPECT_EQ(groups[1].files, (StringSet{"", "F:\\a"}));
  EXPECT_EQ(groups[2].device_id, "d2");
}

TEST(SummarizeFileCopies, ReadsOnlySelectedRows) {
  DeviceFileEventsTable t;
  add_file_event(t,
                 {"2026-03-10T09:00:00Z", "FileCreated", "a", "C:\\a", "d1", "ws1", "u", "p", "q"});
  add_file_event(t,
                 {"2026-03-10T10:00:00Z", "FileCreated", "a", "E:\\a", "d1", "ws1", "u", "p", "q"});
  const auto groups = summarize_file_copies(t, {1});
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].files, (StringSet{"E:\\a"}));
}
