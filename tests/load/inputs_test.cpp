#include "load/codec_support.hpp"
#include "test_support.hpp"
#include "usbexfil/error.hpp"
#include "usbexfil/load/inputs.hpp"
#include "usbexfil/load/loaders.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

using namespace usbexfil;
using namespace usbexfil::testing;

namespace {

const InputFile *find(const Inputs &inputs, std::string_view suffix) {
  for (const InputFile &file : inputs.files) {
    if (file.label.ends_with(suffix)) {
      return &file;
    }
  }
  return nullptr;
}

constexpr const char *ALERT =
    R"({"TimeGenerated":"2026-03-10T09:00:00Z","AlertName":"Mass download by a single user",)"
    R"("Status":"New","Entities":"[]"})";

} // namespace

TEST(TableForFolderName, ExactNamesWithTheExportPrefixes) {
  EXPECT_EQ(table_for_folder_name("DeviceEvents"), SourceTable::device_events);
  EXPECT_EQ(table_for_folder_name("am-devicefileevents"), SourceTable::device_file_events);
  EXPECT_EQ(table_for_folder_name("insights-logs-advancedhunting-CloudAppEvents"),
            SourceTable::cloud_app_events);
  EXPECT_EQ(table_for_folder_name("am-securityalert"), SourceTable::security_alert);
  EXPECT_EQ(table_for_folder_name("DeviceEvents-2026"), std::nullopt);
  EXPECT_EQ(table_for_folder_name("am-deviceinfo"), std::nullopt);
  EXPECT_EQ(table_for_folder_name("y=2026"), std::nullopt);
}

TEST(ResolveInputs, WalksFoldersAndPlacesByOptionNameThenFolder) {
  TempDir dir;
  dir.write("export/SecurityAlert.jsonl", "");
  dir.write("export/am-deviceevents/WorkspaceResourceId=/y=2026/m=03/PT05M.json", "");
  dir.write("export/am-deviceevents/CloudAppEvents_part.json", ""); // the name wins
  dir.write("export/.hidden/DeviceEvents.jsonl", "");               // passed over
  dir.write("export/.DeviceEvents.jsonl", "");                      // passed over
  dir.write("export/notes/readme.md", "");
  dir.write("other/part-1", "");
  InputSpec spec;
  spec.paths = {dir.file("export")};
  spec.tables[static_cast<std::size_t>(SourceTable::device_file_events)] = {dir.file("other")};
  const Inputs inputs = resolve_inputs(spec);
  ASSERT_EQ(inputs.files.size(), 5u);
  EXPECT_EQ(find(inputs, "SecurityAlert.jsonl")->placed_by, PlacedBy::name);
  const InputFile *blob = find(inputs, "PT05M.json");
  EXPECT_EQ(blob->table, SourceTable::device_events);
  EXPECT_EQ(blob->placed_by, PlacedBy::folder);
  const InputFile *named = find(inputs, "CloudAppEvents_part.json");
  EXPECT_EQ(named->table, SourceTable::cloud_app_events);
  EXPECT_EQ(named->folder_table, SourceTable::device_events);
  EXPECT_EQ(find(inputs, "readme.md")->placed_by, PlacedBy::none);
  EXPECT_EQ(find(inputs, "part-1")->table, SourceTable::device_file_events);
  EXPECT_EQ(find(inputs, "part-1")->placed_by, PlacedBy::option);
  // Byte order of the labels.
  for (std::size_t i = 1; i < inputs.files.size(); ++i) {
    EXPECT_LT(inputs.files[i - 1].label, inputs.files[i].label);
  }
}

TEST(ResolveInputs, AFileReachedTwiceIsReadOnceAndTheOptionWins) {
  TempDir dir;
  const std::string file = dir.write("x/data.json", "");
  InputSpec spec;
  spec.paths = {dir.file("x"), file};
  spec.tables[static_cast<std::size_t>(SourceTable::device_events)] = {file};
  const Inputs inputs = resolve_inputs(spec);
  ASSERT_EQ(inputs.files.size(), 1u);
  EXPECT_EQ(inputs.files[0].table, SourceTable::device_events);
}

TEST(ResolveInputs, FoldersAboveWhatWasWrittenDoNotCount) {
  TempDir dir;
  dir.write("am-deviceevents/x.json", "");
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path() / "am-deviceevents");
  const Inputs inputs = resolve_directory(".");
  std::filesystem::current_path(cwd);
  ASSERT_EQ(inputs.files.size(), 1u);
  EXPECT_EQ(inputs.files[0].placed_by, PlacedBy::none);
}

TEST(ResolveInputs, MissingPathsAndBrokenLinksAreErrors) {
  TempDir dir;
  EXPECT_THROW(resolve_directory(dir.file("missing")), Error);
  dir.write("d/ok.json", "");
  ASSERT_EQ(::symlink(dir.file("nowhere").c_str(), dir.file("d/DeviceEvents.jsonl").c_str()), 0);
  try {
    resolve_directory(dir.file("d"));
    FAIL() << "no error";
  } catch (const Error &error) {
    EXPECT_NE(std::string(error.what()).find("broken symbolic link"), std::string::npos);
  }
}

TEST(SourcesForTable, PlacedFilesOnlyInTheirTableRecordFilesEverywhere) {
  TempDir dir;
  dir.write("SecurityAlert.jsonl", "");
  dir.write("am-deviceevents/x.json", "");
  dir.write("hub.json", "");
  const Inputs inputs = resolve_directory(dir.path().string());
  const auto alerts = sources_for_table(inputs, SourceTable::security_alert, true);
  const auto mounts = sources_for_table(inputs, SourceTable::device_events, false);
  // SecurityAlert: its file; the folder-placed file (it may be an archive); hub.json.
  ASSERT_EQ(alerts.size(), 3u);
  ASSERT_EQ(mounts.size(), 2u);
  for (const ScanSource &source : mounts) {
    EXPECT_EQ(source.placed, source.file->label.ends_with("x.json"));
    EXPECT_EQ(source.report, source.placed); // unplaced files report in the first scan only
  }
}

TEST(Routing, RowsOfUnplacedFilesGoWhereTheyNameTheirTable) {
  TempDir dir;
  const std::string hub =
      "{\"records\":[" + std::string(ALERT).replace(0, 1, "{\"Type\":\"SecurityAlert\",") +
      ",{\"category\":\"AdvancedHunting-SecurityAlert\",\"properties\":" + ALERT +
      "},{\"Type\":\"DeviceInfo\",\"x\":1},{\"category\":\"AdvancedHunting-DeviceEvents\","
      "\"properties\":{}}]}\n";
  dir.write("hub.json", hub);
  dir.write("plain.json", std::string(ALERT) + "\n"); // a top-level row names no table (D22)
  const Inputs inputs = resolve_directory(dir.path().string());
  LoadStats stats;
  const auto table = load_security_alerts(
      sources_for_table(inputs, SourceTable::security_alert, true), {}, ScanOptions{}, stats);
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(stats.rows_read, 4u); // the four records of the message
  ASSERT_EQ(stats.notes.size(), 2u);
  const std::string notes = stats.notes[0] + "\n" + stats.notes[1];
  EXPECT_NE(notes.find("hub.json: 1 record naming none"), std::string::npos);
  EXPECT_NE(notes.find("plain.json: no table"), std::string::npos);
}

TEST(Routing, ArchiveMembersArePlacedByTheirOwnPathsThenTheArchivesFolder) {
  TempDir dir;
  const std::string zip = archive_of({{"SecurityAlert.json", std::string(ALERT) + "\n"},
                                      {"inner/am-securityalert/x.json", std::string(ALERT) + "\n"},
                                      {"DeviceEvents/y.json", std::string(ALERT) + "\n"},
                                      {"loose.json", std::string(ALERT) + "\n"},
                                      {"nested.zip", archive_of({{"a", "b"}}, true)}},
                                     true);
  dir.write("am-securityalert/export.zip", zip);
  const Inputs inputs = resolve_directory(dir.path().string());
  LoadStats stats;
  const auto alerts = load_security_alerts(
      sources_for_table(inputs, SourceTable::security_alert, true), {}, ScanOptions{}, stats);
  // Its own name, an inner folder, and the archive's folder for the loose member; not the
  // DeviceEvents member.
  EXPECT_EQ(alerts.size(), 3u);
  EXPECT_EQ(stats.rows_skipped, 1u); // the nested archive
  ASSERT_EQ(stats.diagnostics.size(), 1u);
  EXPECT_EQ(stats.diagnostics[0].file, dir.file("am-securityalert/export.zip/nested.zip"));
  EXPECT_EQ(stats.diagnostics[0].shown[0].message, "nested archive is not read");
}

TEST(Routing, ADamagedLayerUnderAnArchiveIsReportedAfterItsLastMember) {
  // A tar.gz whose gzip stream is cut after the tar's end-of-archive blocks: every member is
  // read, and the damaged gzip is still one data error (it was lost when libarchive stopped at
  // its end marker before the decoder reached the fault; found by fuzzing).
  TempDir dir;
  const std::string tar = archive_of({{"SecurityAlert.json", std::string(ALERT) + "\n"}}, false) +
                          std::string(20480, '\0');
  const std::string gz = gzip(tar);
  const std::string path = dir.write("DeviceEvents_x.tar.gz", gz.substr(0, gz.size() - 6));
  LoadStats stats;
  const auto rows = load_device_events({path}, {}, nullptr, ScanOptions{}, stats);
  EXPECT_EQ(rows.size(), 1u);
  EXPECT_EQ(stats.rows_skipped, 1u);
  ASSERT_EQ(stats.diagnostics.size(), 1u);
  EXPECT_EQ(stats.diagnostics[0].file, path);
  EXPECT_NE(stats.diagnostics[0].shown[0].message.find("damaged archive"), std::string::npos)
      << stats.diagnostics[0].shown[0].message;
}

TEST(Routing, DamagedArchivesKeepTheMembersReadBeforeTheFault) {
  TempDir dir;
  const std::string tar = archive_of({{"SecurityAlert.json", std::string(ALERT) + "\n"},
                                      {"SecurityAlert-2.json", std::string(3000, ' ') + "\n"}},
                                     false);
  // Cut inside the second member's data, then inside its header: one data error either way,
  // naming the member or the archive, and the first member's row is kept.
  for (const auto &[cut, label] :
       {std::pair{std::size_t{2500}, "/SecurityAlert-2.json"}, std::pair{std::size_t{1500}, ""}}) {
    const std::string path = dir.write("DeviceEvents_x.tar", tar.substr(0, cut));
    LoadStats stats;
    const auto rows = load_device_events({path}, {}, nullptr, ScanOptions{}, stats);
    EXPECT_EQ(rows.size(), 1u);
    EXPECT_EQ(stats.rows_skipped, 1u);
    ASSERT_EQ(stats.diagnostics.size(), 1u);
    EXPECT_EQ(stats.diagnostics[0].file, path + label);
    EXPECT_EQ(stats.diagnostics[0].shown[0].line, 0u);
  }
}
