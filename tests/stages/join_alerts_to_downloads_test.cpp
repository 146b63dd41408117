#include "stage_test_support.hpp"
#include "usbexfil/stages/join_alerts_to_downloads.hpp"

#include <gtest/gtest.h>

using namespace usbexfil;
using namespace usbexfil::testing;

namespace {

DownloadSummary summary(std::string_view account, std::string_view ip, std::string_view end,
                        StringSet files) {
  DownloadSummary d;
  d.account_object_id = account;
  d.ip_address = ip;
  d.user_id = "u@x";
  d.start_time = at(end);
  d.end_time = at(end);
  d.files = std::move(files);
  return d;
}

} // namespace

TEST(JoinAlertsToDownloads, JoinsOnAccountAndIpWhenTheGroupEndedByTheAlert) {
  AlertEntityTable alerts;
  alerts.rows = {{at("2026-03-10T10:00:00Z"), "1.1.1.1", "a"}};
  const DownloadSummaryTable downloads = {
      summary("a", "1.1.1.1", "2026-03-10T09:00:00Z", {"x"}), // joins
      summary("a", "1.1.1.1", "2026-03-10T10:00:00Z", {"y"}), // ends exactly at the alert
      summary("a", "1.1.1.1", "2026-03-10T10:00:01Z", {"z"}), // ends after it
      summary("A", "1.1.1.1", "2026-03-10T09:00:00Z", {"w"}), // account differs in case
      summary("a", "2.2.2.2", "2026-03-10T09:00:00Z", {"v"}), // other address
      summary("a", "1.1.1.1", "garbage", {"n"}),              // null end time
  };
  const auto joined = join_alerts_to_downloads(alerts, downloads);
  ASSERT_EQ(joined.size(), 2u);
  EXPECT_EQ(joined[0].download, 0u);
  EXPECT_EQ(joined[1].download, 1u);
}

TEST(JoinAlertsToDownloads, EmptyKeysJoinEachOther) {
  AlertEntityTable alerts;
  alerts.rows = {{at("2026-03-10T10:00:00Z"), "", ""}};
  const DownloadSummaryTable downloads = {summary("", "", "2026-03-10T09:00:00Z", {"x"})};
  EXPECT_EQ(join_alerts_to_downloads(alerts, downloads).size(), 1u);
}

TEST(JoinAlertsToDownloads, NullAlertTimeJoinsNothing) {
  AlertEntityTable alerts;
  alerts.rows = {{Datetime::null(), "1", "a"}};
  const DownloadSummaryTable downloads = {summary("a", "1", "2026-03-10T09:00:00Z", {"x"})};
  EXPECT_TRUE(join_alerts_to_downloads(alerts, downloads).empty());
}

TEST(MakeFileList, UnitesTheFilesOfAllJoinedGroupsFolded) {
  const DownloadSummaryTable downloads = {
      summary("a", "1", "2026-03-10T09:00:00Z", {"Q3.xlsx", ""}),
      summary("b", "2", "2026-03-10T09:00:00Z", {"Deck.PPTX"}),
      summary("c", "3", "2026-03-10T09:00:00Z", {"never.txt"})};
  const AlertDownloadTable joined = {{at("2026-03-10T10:00:00Z"), 0},
                                     {at("2026-03-10T10:00:00Z"), 1}};
  const FileList list = make_file_list(joined, downloads);
  EXPECT_TRUE(list.contains("q3.XLSX"));
  EXPECT_TRUE(list.contains("deck.pptx"));
  EXPECT_TRUE(list.contains(""));
  EXPECT_FALSE(list.contains("never.txt"));
  EXPECT_EQ(list.folded_names.size(), 3u);
}

TEST(FileList, FoldsAsciiOnly) {
  FileList list;
  list.folded_names.insert("Ärger-bericht.docx"); // stored folded: Ä is not ASCII
  EXPECT_TRUE(list.contains("ÄRGER-BERICHT.DOCX"));
  EXPECT_FALSE(list.contains("ärger-bericht.docx"));
}
