#include "stage_test_support.hpp"
#include "usbexfil/stages/join_file_copies.hpp"

#include <gtest/gtest.h>

using namespace usbexfil;
using namespace usbexfil::testing;

namespace {
FileCopySummary copy(std::string_view upn, std::string_view start) {
  FileCopySummary c;
  c.initiating_process_account_upn = upn;
  c.start_time = at(start);
  c.end_time = at(start);
  return c;
}
} // namespace

TEST(JoinFileCopies, JoinsOnUserExactlyWhenCopiesStartAtOrAfterTheAlert) {
  DownloadSummaryTable downloads(2);
  downloads[0].user_id = "avery.lee@contoso.com";
  downloads[1].user_id = "";
  const AlertDownloadTable alert_downloads = {{at("2026-03-10T10:00:00Z"), 0},
                                              {at("2026-03-10T10:00:00Z"), 1}};
  const FileCopyTable copies = {
      copy("avery.lee@contoso.com", "2026-03-10T10:00:00Z"), // at the alert: kept
      copy("avery.lee@contoso.com", "2026-03-10T09:59:59Z"), // before: dropped
      copy("Avery.Lee@contoso.com", "2026-03-10T11:00:00Z"), // other case: no join
      copy("", "2026-03-10T11:00:00Z"),                      // "" joins ""
      copy("avery.lee@contoso.com", "bad"),                  // null start: dropped
  };
  const auto joined = join_file_copies(alert_downloads, downloads, copies);
  ASSERT_EQ(joined.size(), 2u);
  EXPECT_EQ(joined[0].alert_download, 0u);
  EXPECT_EQ(joined[0].copy, 0u);
  EXPECT_EQ(joined[1].alert_download, 1u);
  EXPECT_EQ(joined[1].copy, 3u);
}
