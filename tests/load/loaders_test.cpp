#include "test_support.hpp"
#include "usbexfil/error.hpp"
#include "usbexfil/load/loaders.hpp"

#include <gtest/gtest.h>

using namespace usbexfil;
using usbexfil::testing::TempDir;

namespace {

ScanOptions options(unsigned threads = 1) {
  ScanOptions scan;
  scan.threads = threads;
  scan.min_bytes_per_thread = 0;
  return scan;
}

} // namespace

TEST(LoadSecurityAlerts, KeepsEntitiesAsJsonWhetherValueOrText) {
  TempDir dir;
  const auto file = dir.write(
      "SecurityAlert.jsonl",
      R"({"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"A","Status":"New","Entities":[{"Type":"ip"}]}
{"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"B","Entities":"[{\"Type\": \"ip\"}]"}
{"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"C","Entities":"not json"}
{"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"D"}
{"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"E","Entities":"\"[1]\""}
)");
  LoadStats stats;
  const auto table = load_security_alerts({file}, {}, options(), stats);
  ASSERT_EQ(table.size(), 5u);
  EXPECT_EQ(table.entities_json[0], R"([{"Type":"ip"}])");
  EXPECT_EQ(table.entities_json[1], R"([{"Type":"ip"}])");
  EXPECT_EQ(table.entities_json[2], R"("not json")");
  EXPECT_EQ(table.entities_json[3], "null");
  EXPECT_EQ(table.entities_json[4], R"("[1]")"); // parsed once: a string, not parsed again
  EXPECT_EQ(table.status[1], "");
  EXPECT_EQ(stats.rows_kept, 5u);
}

TEST(LoadSecurityAlerts, LastDuplicateKeyWins) {
  TempDir dir;
  const auto file = dir.write(
      "SecurityAlert.jsonl",
      R"({"AlertName":"first","TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"second"})"
      "\n");
  LoadStats stats;
  const auto table = load_security_alerts({file}, {}, options(), stats);
  ASSERT_EQ(table.size(), 1u);
  EXPECT_EQ(table.alert_name[0], "second");
}

TEST(LoadSecurityAlerts, ReadsOtherTypesAsJsonTextAndWarns) {
  TempDir dir;
  const auto file = dir.write("SecurityAlert.jsonl",
                              R"({"TimeGenerated":12,"AlertName":42,"Status":{"b":[1, true]}})"
                              "\n");
  LoadStats stats;
  const auto table = load_security_alerts({file}, {}, options(), stats);
  ASSERT_EQ(table.size(), 1u);
  EXPECT_EQ(table.alert_name[0], "42");
  EXPECT_EQ(table.status[0], R"({"b":[1,true]})");
  EXPECT_TRUE(table.time_generated[0].is_null());
  EXPECT_EQ(stats.warnings, 3u);
  EXPECT_EQ(stats.rows_skipped, 0u);
}

TEST(LoadSecurityAlerts, ReadsIntegersBeyond64BitsAsDoublesNotAsMalformed) {
  // RFC 8259 allows any integer; the DOM holds 64 bits. A row with a larger one is kept (the
  // integer read as a double, with a warning), never skipped as "not valid JSON".
  TempDir dir;
  const auto file = dir.write(
      "SecurityAlert.jsonl",
      R"({"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"A","ReportId":123456789012345678901234567890,"Entities":[]}
{"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"B","Status":-99999999999999999999,"Note":"12345678901234567890123 in a string","Entities":[18446744073709551616]}
{"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"C","Low":-9223372036854775808,"High":18446744073709551615,"Entities":[1e400]}
)");
  LoadStats stats;
  const auto table = load_security_alerts({file}, {}, options(), stats);
  ASSERT_EQ(table.size(), 2u) << "the third line's 1e400 is out of range for a double too";
  EXPECT_EQ(table.alert_name[0], "A");
  EXPECT_EQ(table.alert_name[1], "B");
  EXPECT_EQ(table.status[1], "-1e+20"); // a number in a string column: its JSON text
  EXPECT_EQ(table.entities_json[1], "[1.8446744073709552e+19]");
  EXPECT_EQ(stats.rows_skipped, 1u); // 1e400 stays malformed: no double holds it
  EXPECT_EQ(stats.warnings, 3u);     // two lines widened, one number in a string column
}

TEST(LoadSecurityAlerts, SkipsAndReportsLinesThatAreNotJsonObjects) {
  TempDir dir;
  const auto file =
      dir.write("SecurityAlert.jsonl", "{\"a\": NaN}\n[1,2]\n42\n{\"AlertName\":\"x\"\n"
                                       "{\"AlertName\":\"ok\"}\n{} trailing\n");
  LoadStats stats;
  const auto table = load_security_alerts({file}, {}, options(), stats);
  EXPECT_EQ(table.size(), 1u);
  EXPECT_EQ(stats.rows_read, 6u);
  EXPECT_EQ(stats.rows_skipped, 5u);
  ASSERT_EQ(stats.diagnostics.size(), 1u);
  const auto &shown = stats.diagnostics[0].shown;
  ASSERT_EQ(shown.size(), 5u);
  EXPECT_EQ(shown[0].line, 1u);
  EXPECT_NE(shown[0].message.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(shown[1].message, "not a JSON object (the line is an array)");
  EXPECT_EQ(shown[2].message, "not a JSON object (the line is a number)");
  EXPECT_EQ(shown[4].line, 6u);
}

TEST(LoadSecurityAlerts, InvalidUtf8IsMalformed) {
  TempDir dir;
  const auto file = dir.write("SecurityAlert.jsonl", "{\"AlertName\":\"\xC3\x28\"}\n");
  LoadStats stats;
  const auto table = load_security_alerts({file}, {}, options(), stats);
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(stats.rows_skipped, 1u);
}

TEST(LoadSecurityAlerts, StrictMakesTheFirstMalformedLineFatal) {
  TempDir dir;
  const auto file = dir.write("SecurityAlert.jsonl", "{}\n{}\n[]\n");
  LoadStats stats;
  ScanOptions strict = options();
  strict.strict = true;
  try {
    load_security_alerts({file}, {}, strict, stats);
    FAIL() << "no error";
  } catch (const Error &error) {
    EXPECT_EQ(std::string(error.what()), file + ":3: not a JSON object (the line is an array)");
  }
}

TEST(LoadSecurityAlerts, AppliesTheTimeWindow) {
  TempDir dir;
  const auto file =
      dir.write("SecurityAlert.jsonl",
                R"({"TimeGenerated":"2026-03-09T23:59:59.9999999Z","AlertName":"before"}
{"TimeGenerated":"2026-03-10T00:00:00Z","AlertName":"from"}
{"TimeGenerated":"2026-03-10T23:59:59Z","AlertName":"inside"}
{"TimeGenerated":"2026-03-11T00:00:00Z","AlertName":"to"}
{"AlertName":"no time"}
)");
  TimeWindow window{parse_datetime("2026-03-10T00:00:00Z"), parse_datetime("2026-03-11T00:00:00Z")};
  LoadStats stats;
  const auto table = load_security_alerts({file}, window, options(), stats);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table.alert_name[0], "from");
  EXPECT_EQ(table.alert_name[1], "inside");
}

TEST(LoadSecurityAlerts, RuleAlertsOnlyKeepsWhatStageOneTests) {
  TempDir dir;
  const auto file = dir.write(
      "SecurityAlert.jsonl",
      R"({"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"Mass Download by a Single User","Status":"New","Entities":[]}
{"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"mass download by a single user","Status":"resolved"}
{"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"mass download by a single user","Status":"Resolved"}
{"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"mass download by a single user ","Status":"New"}
{"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"Impossible travel","Status":"New","Entities":[{"Type":"ip"}]}
{"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":7,"Status":"New"}
)");
  LoadStats stats;
  const auto all = load_security_alerts({file}, {}, options(), stats);
  EXPECT_EQ(all.size(), 6u);
  const auto table = load_security_alerts({file}, {}, options(), stats, true);
  ASSERT_EQ(table.size(), 2u); // `=~` ignores ASCII case; only exactly "Resolved" is dropped
  EXPECT_EQ(table.alert_name[0], "Mass Download by a Single User");
  EXPECT_EQ(table.status[1], "resolved");
  EXPECT_EQ(stats.rows_kept, 2u);
  EXPECT_EQ(stats.warnings, 1u); // AlertName 7: still read (as "7") and reported
}

TEST(LoadCloudAppEvents, ProjectsRawEventDataGivenAsValueOrText) {
  TempDir dir;
  const auto file = dir.write(
      "CloudAppEvents.jsonl",
      R"({"ActionType":"FileDownloaded","AccountObjectId":"a","IPAddress":"1.1.1.1","RawEventData":{"UserId":"u@x","SourceFileName":"f.docx"}}
{"ActionType":"FileDownloaded","AccountObjectId":"a","IPAddress":"1.1.1.1","RawEventData":"{\"UserId\": \"v@x\",\r\n \"SourceFileName\": 7}"}
{"ActionType":"FileDownloaded","AccountObjectId":"a","IPAddress":"1.1.1.1","RawEventData":"{broken"}
{"ActionType":"FileAccessed","AccountObjectId":"a","IPAddress":"1.1.1.1"}
)");
  LoadStats stats;
  const auto all = load_cloud_app_events({file}, {}, nullptr, options(), stats);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all.user_id[0], "u@x");
  EXPECT_EQ(all.source_file_name[0], "f.docx");
  EXPECT_EQ(all.user_id[1], "v@x");
  EXPECT_EQ(all.source_file_name[1], "7");
  EXPECT_EQ(all.user_id[2], "");
  EXPECT_EQ(all.action_type[3], "FileAccessed");
}

TEST(LoadCloudAppEvents, FilterKeepsDownloadsOfAlertedPairsOnly) {
  TempDir dir;
  const auto file =
      dir.write("CloudAppEvents.jsonl",
                R"({"ActionType":"FileDownloaded","AccountObjectId":"a","IPAddress":"1.1.1.1"}
{"ActionType":"FileDownloaded","AccountObjectId":"a","IPAddress":"2.2.2.2"}
{"ActionType":"\u0046ileDownloaded","AccountObjectId":"a","IPAddress":"1.1.1.1"}
{"ActionType":"FileUploaded","AccountObjectId":"a","IPAddress":"1.1.1.1","Note":"FileDownloaded"}
{"ActionType":"FileUploaded","AccountObjectId":"a","IPAddress":"1.1.1.1","Path":"c:\\users"}
)");
  const std::unordered_set<std::string> keys{pair_key("a", "1.1.1.1")};
  const CloudAppEventsFilter filter{&keys};
  LoadStats stats;
  const auto table = load_cloud_app_events({file}, {}, &filter, options(2), stats);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table.action_type[0], "FileDownloaded");
  EXPECT_EQ(table.action_type[1], "FileDownloaded");
  EXPECT_EQ(stats.rows_read, 5u);
}

TEST(PairKey, DoesNotCollide) {
  EXPECT_NE(pair_key("ab", "c"), pair_key("a", "bc"));
  EXPECT_EQ(pair_key("", ""), pair_key("", ""));
}

TEST(LoadDeviceFileEvents, FilterKeepsListedCopiesByListedUsers) {
  TempDir dir;
  const auto file = dir.write(
      "DeviceFileEvents.jsonl",
      R"({"ActionType":"FileCreated","FileName":"Q3.XLSX","InitiatingProcessAccountUpn":"u@x","FolderPath":"E:\\Q3.XLSX"}
{"ActionType":"FileRenamed","FileName":"q3.xlsx","InitiatingProcessAccountUpn":"u@x"}
{"ActionType":"FileModified","FileName":"q3.xlsx","InitiatingProcessAccountUpn":"u@x"}
{"ActionType":"FileCreated","FileName":"other.xlsx","InitiatingProcessAccountUpn":"u@x"}
{"ActionType":"FileCreated","FileName":"q3.xlsx","InitiatingProcessAccountUpn":"U@x"}
{"ActionType":"File\u0043reated","FileName":"q3.xlsx","InitiatingProcessAccountUpn":"u@x"}
)");
  FileList list;
  list.folded_names.insert("q3.xlsx");
  const std::unordered_set<std::string_view> users{"u@x"};
  const DeviceFileEventsFilter filter{&list, &users};
  LoadStats stats;
  const auto table = load_device_file_events({file}, {}, &filter, options(), stats);
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(table.folder_path[0], "E:\\Q3.XLSX");
  EXPECT_EQ(table.action_type[2], "FileCreated");
  LoadStats unfiltered_stats;
  EXPECT_EQ(load_device_file_events({file}, {}, nullptr, options(), unfiltered_stats).size(), 6u);
}

TEST(LoadDeviceEvents, ProjectsAdditionalFieldsAndFiltersMounts) {
  TempDir dir;
  const auto file = dir.write(
      "DeviceEvents.jsonl",
      R"({"ActionType":"UsbDriveMounted","DeviceId":"d1","AdditionalFields":{"DriveLetter":"E:","ProductName":"Stick","Volume":"V"}}
{"ActionType":"UsbDriveMounted","DeviceId":"d1","AdditionalFields":"{\"DriveLetter\":\"F:\"}"}
{"ActionType":"UsbDriveMounted","DeviceId":"d1","AdditionalFields":{"DriveLetter":""}}
{"ActionType":"UsbDriveMounted","DeviceId":"d2","AdditionalFields":{"DriveLetter":"G:"}}
{"ActionType":"UsbDriveUnmounted","DeviceId":"d1","AdditionalFields":{"DriveLetter":"E:"}}
)");
  const std::unordered_set<std::string_view> devices{"d1"};
  const DeviceEventsFilter filter{&devices};
  LoadStats stats;
  const auto table = load_device_events({file}, {}, &filter, options(), stats);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table.drive_letter[0], "E:");
  EXPECT_EQ(table.product_name[0], "Stick");
  EXPECT_EQ(table.volume[0], "V");
  EXPECT_EQ(table.drive_letter[1], "F:");
  EXPECT_EQ(table.product_name[1], "");
}
