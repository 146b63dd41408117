#include "stages/stage_test_support.hpp"
#include "usbexfil/output/json_lines_writer.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

using namespace usbexfil;
using namespace usbexfil::testing;

namespace {

Finding finding(std::string_view alert, std::string_view user, std::string_view device,
                std::string_view usb) {
  Finding f;
  f.alert_time = at(alert);
  f.usb_time = at(usb);
  f.user_id = user;
  f.device_id = device;
  f.downloads.start_time = at(alert);
  f.downloads.end_time = at(alert);
  f.copies.start_time = at(alert);
  f.copies.end_time = at(alert);
  f.mount.time = at(usb);
  return f;
}

} // namespace

TEST(FormatFinding, WritesKeysInTheRuleOrder) {
  Finding f = finding("2026-03-10T09:41:07.461339Z", "a@b", "d1", "2026-03-10T10:05:33Z");
  f.downloads.files = {"", "x\"y"};
  f.copies.files = {"E:\\a"};
  f.matched_files = {"E:\\a"};
  f.mount.drive_letter = "E:";
  EXPECT_EQ(
      format_finding(f),
      R"({"Alert_TimeGenerated":"2026-03-10T09:41:07.4613390Z","USB_TimeGenerated":"2026-03-10T10:05:33.0000000Z",)"
      R"("UserId":"a@b","AADUserId":"","DeviceId":"d1","DeviceName":"","IPAddress":"",)"
      R"("CloudAppEvents_Details":{"Application":"","AccountObjectId":"","UserId":"","IPAddress":"","City":"",)"
      R"("CountryCode":"","CloudAppEvent_StartTime":"2026-03-10T09:41:07.4613390Z",)"
      R"("CloudAppEvent_EndTime":"2026-03-10T09:41:07.4613390Z","CloudAppEvent_Files":["","x\"y"],"FileCount":2},)"
      R"("DeviceFileEvents_Details":{"InitiatingProcessAccountUpn":"","DeviceId":"","DeviceName":"",)"
      R"("InitiatingProcessFolderPath":"","InitiatingProcessParentFileName":"",)"
      R"("DeviceFileEvent_StartTime":"2026-03-10T09:41:07.4613390Z","DeviceFileEvent_EndTime":"2026-03-10T09:41:07.4613390Z",)"
      R"("DeviceFileEvent_Files":["E:\\a"],"DeviceFileEvent_FileCount":1},)"
      R"("USB_Details":{"USB_TimeGenerated":"2026-03-10T10:05:33.0000000Z","DeviceId":"","USB_DriveLetter":"E:",)"
      R"("USB_ProductName":"","USB_Volume":""},"USB_Drive_MatchedFiles":["E:\\a"],)"
      R"("InitiatingProcessFileName":"","InitiatingProcessFolderPath":"","HostName":"",)"
      R"("HostNameDomain":"","AccountName":"","AccountUPNSuffix":""})");
}

TEST(SortFindings, SortsByAlertTimeUserDeviceAndMountTime) {
  FindingTable findings = {
      finding("2026-03-10T10:00:00Z", "b", "d1", "2026-03-10T11:00:00Z"),
      finding("2026-03-10T09:00:00Z", "z", "d9", "2026-03-10T11:00:00Z"),
      finding("2026-03-10T10:00:00Z", "a", "d2", "2026-03-10T12:00:00Z"),
      finding("2026-03-10T10:00:00Z", "a", "d2", "2026-03-10T11:00:00Z"),
      finding("2026-03-10T10:00:00Z", "a", "d1", "2026-03-10T13:00:00Z"),
  };
  sort_findings(findings);
  const std::string text = render_json_lines(findings);
  std::vector<std::string> order;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t end = text.find('\n', pos);
    const std::string line = text.substr(pos, end - pos);
    order.push_back(line.substr(line.find("\"UserId\":") + 10, 1) +
                    line.substr(line.find("\"DeviceId\":") + 12, 2) +
                    line.substr(line.find("USB_TimeGenerated") + 31, 2));
    pos = end + 1;
  }
  EXPECT_EQ(order, (std::vector<std::string>{"zd911", "ad113", "ad211", "ad212", "bd111"}));
  EXPECT_EQ(render_json_lines({}), "");
}

TEST(SortFindings, OrdersFindingsThatTieOnEveryKeyByTheirText) {
  FindingTable findings(3, finding("2026-03-10T10:00:00Z", "u", "d", "2026-03-10T11:00:00Z"));
  findings[0].ip_address = "10.0.0.3";
  findings[1].ip_address = "10.0.0.1";
  findings[2].ip_address = "10.0.0.2";
  sort_findings(findings);
  const std::string text = render_json_lines(findings);
  const auto first = text.find("10.0.0.1");
  const auto second = text.find("10.0.0.2");
  const auto third = text.find("10.0.0.3");
  ASSERT_NE(third, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

TEST(WriteJsonLines, WritesFindingsInTheOrderGiven) {
  FindingTable findings = {
      finding("2026-03-10T10:00:00Z", "b", "d1", "2026-03-10T11:00:00Z"),
      finding("2026-03-10T09:00:00Z", "a", "d1", "2026-03-10T11:00:00Z"),
  };
  const std::string text = render_json_lines(findings);
  EXPECT_LT(text.find("\"UserId\":\"b\""), text.find("\"UserId\":\"a\""));
}

TEST(WriteJsonLines, HandsLargeOutputToTheSinkInWholeLinePieces) {
  FindingTable findings;
  std::vector<std::string> names;
  for (int i = 0; i < 2000; ++i) {
    names.push_back(fmt::format("user{:04}@example.com", i));
  }
  for (const std::string &name : names) {
    findings.push_back(finding("2026-03-10T10:00:00Z", name, "d", "2026-03-10T11:00:00Z"));
  }
  std::vector<std::string> pieces;
  write_json_lines(findings, [&](std::string_view piece) { pieces.emplace_back(piece); });
  ASSERT_GT(pieces.size(), 3u); // about 1.4 MB in pieces of about 64 KiB
  std::string joined;
  for (const std::string &piece : pieces) {
    EXPECT_LE(piece.size(), 70u * 1024);
    EXPECT_EQ(piece.back(), '\n'); // a line is never split between pieces
    joined += piece;
  }
  EXPECT_EQ(joined, render_json_lines(findings));
  EXPECT_EQ(std::count(joined.begin(), joined.end(), '\n'), 2000);
  EXPECT_LT(joined.find("user0000@"), joined.find("user1999@"));
}
