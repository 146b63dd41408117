#include "stage_test_support.hpp"
#include "usbexfil/stages/filter_drive_letter_prefix.hpp"

#include <gtest/gtest.h>

using namespace usbexfil;
using namespace usbexfil::testing;

TEST(FilterDriveLetterPrefix, KeepsPathsOnTheDriveIgnoringAsciiCase) {
  DownloadSummaryTable downloads(1);
  downloads[0].user_id = "avery.lee@contoso.com";
  downloads[0].account_object_id = "a";
  downloads[0].ip_address = "1.1.1.1";
  FileCopyTable copies(1);
  copies[0].device_id = "d1";
  copies[0].device_name = "ws-0142.corp.contoso.com";
  copies[0].initiating_process_folder_path = "c:\\windows\\explorer.exe";
  copies[0].files = {"C:\\Users\\a.docx", "E:\\b.docx", "e:\\c.docx", "F:\\d.docx"};
  const AlertDownloadTable alert_downloads = {{at("2026-03-10T10:00:00Z"), 0}};
  const AlertCopyTable alert_copies = {{0, 0}};
  const UsbMountTable mounts = {{at("2026-03-10T11:00:00Z"), "d1", "e:", "", ""},
                                {at("2026-03-10T11:00:00Z"), "d1", "H:", "", ""},
                                {at("2026-03-10T11:00:00Z"), "d1", "E:\\", "", ""}};
  const AlertMountTable alert_mounts = {{0, 0}, {0, 1}, {0, 2}};
  const auto findings = filter_drive_letter_prefix(
      {alert_mounts, alert_copies, alert_downloads, downloads, copies, mounts});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].matched_files, (StringSet{"E:\\b.docx", "e:\\c.docx"}));
  EXPECT_EQ(findings[1].matched_files, (StringSet{"E:\\b.docx", "e:\\c.docx"}));
  EXPECT_EQ(findings[0].aad_user_id, "a");
  EXPECT_EQ(findings[0].initiating_process_file_name, "explorer.exe");
  EXPECT_EQ(findings[0].host_name, "ws-0142");
  EXPECT_EQ(findings[0].host_name_domain, "corp.contoso.com");
  EXPECT_EQ(findings[0].account_name, "avery.lee");
  EXPECT_EQ(findings[0].account_upn_suffix, "contoso.com");
}

TEST(DerivedColumns, SplitLikeKusto) {
  EXPECT_EQ(last_backslash_part("c:\\windows\\explorer.exe"), "explorer.exe");
  EXPECT_EQ(last_backslash_part("explorer.exe"), "explorer.exe");
  EXPECT_EQ(last_backslash_part("c:\\tools\\"), "");
  EXPECT_EQ(last_backslash_part("/usr/bin/cp"), "/usr/bin/cp");
  EXPECT_EQ(host_name("ws-0142.corp.contoso.com"), "ws-0142");
  EXPECT_EQ(host_name("KIOSK"), "KIOSK");
  EXPECT_EQ(host_name("kiosk."), "kiosk");
  EXPECT_EQ(host_name_domain("ws-0142.corp.contoso.com"), "corp.contoso.com");
  EXPECT_EQ(host_name_domain("KIOSK"), "KIOSK");
  EXPECT_EQ(host_name_domain("kiosk."), "");
  EXPECT_EQ(account_name("a@b.com"), "a");
  EXPECT_EQ(account_name("system"), "system");
  EXPECT_EQ(account_upn_suffix("a@b.com"), "b.com");
  EXPECT_EQ(account_upn_suffix("a@b@c"), "b");
  EXPECT_EQ(account_upn_suffix("system"), "");
  EXPECT_EQ(account_upn_suffix("a@"), "");
}
