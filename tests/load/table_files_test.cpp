#include "test_support.hpp"
#include "usbexfil/error.hpp"
#include "usbexfil/load/table_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace usbexfil;
using usbexfil::testing::TempDir;

TEST(TableForFileName, MatchesPrefixIgnoringCaseLongestFirst) {
  EXPECT_EQ(table_for_file_name("SecurityAlert.jsonl"), SourceTable::security_alert);
  EXPECT_EQ(table_for_file_name("securityalert.JSON"), SourceTable::security_alert);
  EXPECT_EQ(table_for_file_name("CLOUDAPPEVENTS_2026_2.JSONL"), SourceTable::cloud_app_events);
  EXPECT_EQ(table_for_file_name("DeviceFileEventss.jsonl"), SourceTable::device_file_events);
  EXPECT_EQ(table_for_file_name("deviceevents.jsonl"), SourceTable::device_events);
  EXPECT_EQ(table_for_file_name("DeviceInfo.jsonl"), std::nullopt);
  EXPECT_EQ(table_for_file_name("my-SecurityAlert.jsonl"), std::nullopt);
}

TEST(FindTableFiles, SortsEachTablesFiles) {
  TempDir dir;
  dir.write("DeviceEvents_b.jsonl", "");
  dir.write("DeviceEvents_a.jsonl", "");
  dir.write("DeviceFileEvents.jsonl", "");
  dir.write("notes.txt", "");
  std::filesystem::create_directory(dir.path() / "SecurityAlert.d");
  const TableFiles files = find_table_files(dir.path().string());
  EXPECT_EQ(files.of(SourceTable::device_events),
            (std::vector<std::string>{dir.file("DeviceEvents_a.jsonl"),
                                      dir.file("DeviceEvents_b.jsonl")}));
  EXPECT_EQ(files.of(SourceTable::device_file_events).size(), 1u);
  EXPECT_TRUE(files.of(SourceTable::security_alert).empty());
}

TEST(FindTableFiles, FailsClearly) {
  TempDir dir;
  dir.write("notes.txt", "");
  EXPECT_THROW(find_table_files(dir.path().string()), Error);
  EXPECT_THROW(find_table_files(dir.file("missing")), Error);
  EXPECT_THROW(find_table_files(dir.file("notes.txt")), Error);
}
