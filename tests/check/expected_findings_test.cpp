#include "test_support.hpp"
#include "usbexfil/check/expected_findings.hpp"
#include "usbexfil/error.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

using namespace usbexfil;
using usbexfil::testing::TempDir;

namespace {

// A finding as usbexfil writes it (findings.md), with a few values to vary.
std::string finding_line(std::string_view user = "megan@contoso.com",
                         std::string_view files = R"(["E:\\a.docx","E:\\b.docx"])", int count = 2) {
  return fmt::format(
      R"({{"Alert_TimeGenerated":"2026-03-10T09:12:00.0000000Z","USB_TimeGenerated":"2026-03-10T10:31:00.0000000Z","UserId":"{0}","AADUserId":"b1f4","DeviceId":"dev1","DeviceName":"ws-fin-0142","IPAddress":"203.0.113.45","CloudAppEvents_Details":{{"Application":"SharePoint","AccountObjectId":"b1f4","UserId":"{0}","IPAddress":"203.0.113.45","City":"","CountryCode":"","CloudAppEvent_StartTime":"2026-03-10T08:00:00.0000000Z","CloudAppEvent_EndTime":"2026-03-10T08:51:00.0000000Z","CloudAppEvent_Files":["a.docx","b.docx"],"FileCount":{2}}},"DeviceFileEvents_Details":{{"InitiatingProcessAccountUpn":"{0}","DeviceId":"dev1","DeviceName":"ws-fin-0142","InitiatingProcessFolderPath":"c:\\windows\\explorer.exe","InitiatingProcessParentFileName":"userinit.exe","DeviceFileEvent_StartTime":"2026-03-10T10:40:00.0000000Z","DeviceFileEvent_EndTime":"2026-03-10T10:45:00.0000000Z","DeviceFileEvent_Files":["a.docx","b.docx"],"DeviceFileEvent_FileCount":{2}}},"USB_Details":{{"USB_TimeGenerated":"2026-03-10T10:31:00.0000000Z","DeviceId":"dev1","USB_DriveLetter":"E:","USB_ProductName":"Cruzer","USB_Volume":"E:"}},"USB_Drive_MatchedFiles":{1},"InitiatingProcessFileName":"explorer.exe","InitiatingProcessFolderPath":"c:\\windows\\explorer.exe","HostName":"ws-fin-0142","HostNameDomain":"","AccountName":"megan","AccountUPNSuffix":"contoso.com"}})",
      user, files, count);
}

std::vector<ComparableFinding> read_text(TempDir &dir, const std::string &name,
                                         const std::string &text) {
  return read_expected_findings(dir.write(name, text));
}

bool has_line(const std::vector<std::string> &lines, std::string_view text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string &line) { return line.find(text) != std::string::npos; });
}

} // namespace

TEST(ExpectedFindings, SpellingsThatDoNotChangeAFindingCompareEqual) {
  TempDir dir;
  const auto ours = read_text(dir, "ours.jsonl", finding_line() + "\n");
  ASSERT_EQ(ours.size(), 1u);
  // Sentinel's shape: keys in another order, sets in another order, datetimes with fewer
  // digits or an offset, the bags as tostring() text, counts as text, a null string.
  const std::string sentinel =
      R"([{"USB_Drive_MatchedFiles":["E:\\b.docx","E:\\a.docx"],"Alert_TimeGenerated":"2026-03-10T10:12:00+01:00","USB_TimeGenerated":"2026-03-10 10:31:00Z","UserId":"megan@contoso.com","AADUserId":"b1f4","DeviceId":"dev1","DeviceName":"ws-fin-0142","IPAddress":"203.0.113.45",)"
      R"("CloudAppEvents_Details":"{\"Application\":\"SharePoint\",\"AccountObjectId\":\"b1f4\",\"UserId\":\"megan@contoso.com\",\"IPAddress\":\"203.0.113.45\",\"City\":null,\"CountryCode\":\"\",\"CloudAppEvent_StartTime\":\"2026-03-10T08:00:00Z\",\"CloudAppEvent_EndTime\":\"2026-03-10T08:51:00.000Z\",\"CloudAppEvent_Files\":[\"b.docx\",\"a.docx\"],\"FileCount\":\"2\"}",)"
      R"("DeviceFileEvents_Details":{"DeviceFileEvent_FileCount":2.0,"InitiatingProcessAccountUpn":"megan@contoso.com","DeviceId":"dev1","DeviceName":"ws-fin-0142","InitiatingProcessFolderPath":"c:\\windows\\explorer.exe","InitiatingProcessParentFileName":"userinit.exe","DeviceFileEvent_StartTime":"2026-03-10T10:40:00Z","DeviceFileEvent_EndTime":"2026-03-10T10:45:00Z","DeviceFileEvent_Files":["b.docx","a.docx"]},)"
      R"("USB_Details":{"USB_TimeGenerated":"2026-03-10T10:31:00Z","DeviceId":"dev1","USB_DriveLetter":"E:","USB_ProductName":"Cruzer","USB_Volume":"E:"},"InitiatingProcessFileName":"explorer.exe","InitiatingProcessFolderPath":"c:\\windows\\explorer.exe","HostName":"ws-fin-0142","HostNameDomain":null,"AccountName":"megan","AccountUPNSuffix":"contoso.com","TenantId":"ignored"}])";
  const auto theirs = read_text(dir, "sentinel.json", sentinel);
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(ours[0].text(), theirs[0].text());
  const FindingsDiff diff = diff_findings(theirs, ours);
  EXPECT_TRUE(diff.same());
  EXPECT_EQ(diff.equal, 1u);
  EXPECT_TRUE(
      has_line(format_diff(diff, "sentinel.json"), "findings match sentinel.json (1 finding)"));
}

TEST(ExpectedFindings, ReportsMissingUnexpectedAndChangedWithTheirColumns) {
  TempDir dir;
  const auto expected =
      read_text(dir, "expected.jsonl",
                finding_line("megan@contoso.com") + "\n\n" + finding_line("alex@contoso.com") +
                    "\n" + finding_line("lee@contoso.com") + "\n");
  const auto actual = read_text(
      dir, "actual.jsonl",
      finding_line("megan@contoso.com", R"(["E:\\a.docx","E:\\c.docx"])", 3) + "\n" +
          finding_line("lee@contoso.com") + "\n" + finding_line("kim@contoso.com") + "\n");
  const FindingsDiff diff = diff_findings(expected, actual);
  EXPECT_EQ(diff.equal, 1u);
  ASSERT_EQ(diff.missing.size(), 1u);
  EXPECT_EQ(diff.missing[0].line, 3u); // the blank line counts
  ASSERT_EQ(diff.unexpected.size(), 1u);
  ASSERT_EQ(diff.changed.size(), 1u);
  const auto lines = format_diff(diff, "expected.jsonl");
  EXPECT_EQ(lines[0], "findings differ from expected.jsonl: 1 missing, 1 unexpected, 1 changed, "
                      "1 equal");
  EXPECT_TRUE(has_line(lines, "  missing: alert 2026-03-10T09:12:00.0000000Z for alex@contoso.com "
                              "from 203.0.113.45 on ws-fin-0142 (USB "
                              "2026-03-10T10:31:00.0000000Z) (expected.jsonl:3)"));
  EXPECT_TRUE(has_line(lines, "  unexpected: alert 2026-03-10T09:12:00.0000000Z for kim@"));
  EXPECT_TRUE(
      has_line(lines, "  changed: alert 2026-03-10T09:12:00.0000000Z for megan@contoso.com"));
  EXPECT_TRUE(has_line(lines, "    CloudAppEvents_Details.FileCount: expected 2, got 3"));
  EXPECT_TRUE(has_line(
      lines, R"(    USB_Drive_MatchedFiles: missing "E:\\b.docx"; unexpected "E:\\c.docx")"));
  // Columns in findings.md order: the bag's key before USB_Drive_MatchedFiles.
  const auto bag = std::find_if(lines.begin(), lines.end(), [](const std::string &l) {
    return l.find("FileCount") != std::string::npos;
  });
  const auto files = std::find_if(lines.begin(), lines.end(), [](const std::string &l) {
    return l.find("USB_Drive_MatchedFiles") != std::string::npos;
  });
  EXPECT_LT(bag, files);
}

TEST(ExpectedFindings, DuplicatesAreCountedAsAMultiset) {
  TempDir dir;
  const auto twice = read_text(dir, "twice.jsonl", finding_line() + "\n" + finding_line() + "\n");
  const auto once = read_text(dir, "once.jsonl", finding_line() + "\n");
  const FindingsDiff diff = diff_findings(twice, once);
  EXPECT_EQ(diff.equal, 1u);
  EXPECT_EQ(diff.missing.size(), 1u);
  EXPECT_TRUE(diff.unexpected.empty());
}

TEST(ExpectedFindings, ReadsQueryApiResponsesAndCsv) {
  TempDir dir;
  const std::string api =
      R"({"tables":[{"name":"PrimaryResult","columns":[{"name":"Alert_TimeGenerated","type":"datetime"},{"name":"UserId","type":"string"},{"name":"USB_Drive_MatchedFiles","type":"dynamic"}],"rows":[["2026-03-10T09:12:00Z","megan@contoso.com","[\"E:\\\\b\",\"E:\\\\a\"]"]]}]})";
  const auto from_api = read_text(dir, "api.json", api);
  const std::string csv =
      "Alert_TimeGenerated,UserId,USB_Drive_MatchedFiles\r\n"
      "2026-03-10T09:12:00.000Z,megan@contoso.com,\"[\"\"E:\\\\a\"\",\"\"E:\\\\b\"\"]\"\r\n";
  const auto from_csv = read_text(dir, "findings.csv", csv);
  ASSERT_EQ(from_api.size(), 1u);
  ASSERT_EQ(from_csv.size(), 1u);
  EXPECT_EQ(from_api[0].text(), from_csv[0].text());
  EXPECT_EQ(from_api[0].columns.at("USB_Drive_MatchedFiles"), R"(["E:\\a","E:\\b"])");
}

TEST(ExpectedFindings, ARecordThatIsNotAFindingIsAnErrorNamingFileAndLine) {
  TempDir dir;
  const auto path = dir.write("bad.jsonl", finding_line() + "\n{\"DeviceId\":\"x\"}\n");
  try {
    read_expected_findings(path);
    FAIL() << "no error";
  } catch (const Error &error) {
    EXPECT_EQ(std::string(error.what()), path + ":2: not a finding (no Alert_TimeGenerated)");
  }
  const auto broken = dir.write("broken.jsonl", finding_line() + "\n{\"Alert_TimeGenerated\":\n");
  EXPECT_THROW(read_expected_findings(broken), Error);
  EXPECT_THROW(read_expected_findings(dir.file("absent.jsonl")), Error);
}
