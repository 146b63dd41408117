// The output formats (writer.hpp): each writer on hand-made findings. The CLI and golden tests
// (tests/cli/formats_test.cpp), the CSV read back by Python's csv module and the HTML loaded in
// Chromium (tests/cli/*.sh) check them on real runs.
#include "stages/stage_test_support.hpp"
#include "usbexfil/output/writer.hpp"
#include "usbexfil/text.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

using namespace usbexfil;
using namespace usbexfil::testing;

namespace {

Finding sample(std::string_view user = "megan.bowen@contoso.com",
               std::string_view device = "ws-fin-0142.corp.contoso.com") {
  Finding f;
  f.alert_time = at("2026-03-10T09:12:44.5823417Z");
  f.usb_time = at("2026-03-10T10:31:18Z");
  f.user_id = user;
  f.aad_user_id = "b1f4";
  f.device_id = "5b0e";
  f.device_name = device;
  f.ip_address = "203.0.113.45";
  f.downloads.application = "Microsoft SharePoint Online";
  f.downloads.user_id = user;
  f.downloads.start_time = at("2026-03-10T08:02:14Z");
  f.downloads.end_time = at("2026-03-10T08:51:37Z");
  f.downloads.files = {"a.xlsx", "b \"q\".docx"};
  f.copies.device_id = "5b0e";
  f.copies.start_time = at("2026-03-10T10:33:02Z");
  f.copies.end_time = at("2026-03-10T10:41:28Z");
  f.copies.files = {"E:\\a.xlsx", "E:\\b \"q\".docx"};
  f.mount.time = f.usb_time;
  f.mount.device_id = "5b0e";
  f.mount.drive_letter = "E:";
  f.mount.product_name = "DataTraveler";
  f.matched_files = {"E:\\a.xlsx", "E:\\b \"q\".docx"};
  f.initiating_process_file_name = "explorer.exe";
  f.host_name = "ws-fin-0142";
  f.account_name = "megan.bowen";
  return f;
}

std::string render(const FindingTable &findings, OutputFormat format, OutputOptions options = {}) {
  options.format = format;
  return render_findings(findings, options);
}

std::vector<std::string> lines_of(const std::string &text, std::string_view end = "\n") {
  std::vector<std::string> lines;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t next = text.find(end, pos);
    lines.push_back(text.substr(pos, next - pos));
    pos = next == std::string::npos ? text.size() : next + end.size();
  }
  return lines;
}

} // namespace

TEST(OutputFormat, NamesRoundTrip) {
  for (const char *name : {"jsonl", "json", "csv", "table", "html"}) {
    const auto format = parse_output_format(name);
    ASSERT_TRUE(format.has_value()) << name;
    EXPECT_EQ(output_format_name(*format), name);
  }
  EXPECT_FALSE(parse_output_format("xml").has_value());
}

TEST(JsonLinesFormat, IsWriteJsonLines) {
  const FindingTable findings = {sample(), sample("diego@fabrikam.com")};
  EXPECT_EQ(render(findings, OutputFormat::jsonl), render_json_lines(findings));
  EXPECT_EQ(render({}, OutputFormat::jsonl), "");
}

TEST(JsonFormat, IsOneArrayOfTheJsonLinesObjects) {
  const FindingTable findings = {sample(), sample("diego@fabrikam.com")};
  const std::vector<std::string> jsonl = lines_of(render_json_lines(findings));
  EXPECT_EQ(render(findings, OutputFormat::json), "[\n" + jsonl[0] + ",\n" + jsonl[1] + "\n]\n");
  EXPECT_EQ(render({}, OutputFormat::json), "[]\n");
}

TEST(SentinelStrings, DetailsBecomeJsonStringsOfTheCompactObjects) {
  const Finding f = sample();
  OutputOptions options;
  options.sentinel_strings = true;
  const std::string line = render({f}, OutputFormat::jsonl, options);
  std::string details;
  append_usb_details(details, f.mount);
  EXPECT_EQ(details, R"({"USB_TimeGenerated":"2026-03-10T10:31:18.0000000Z","DeviceId":"5b0e",)"
                     R"("USB_DriveLetter":"E:","USB_ProductName":"DataTraveler","USB_Volume":""})");
  std::string quoted;
  append_json_string(quoted, details);
  EXPECT_NE(line.find("\"USB_Details\":" + quoted + ",\"USB_Drive_MatchedFiles\""),
            std::string::npos)
      << line;
  EXPECT_NE(line.find(R"("CloudAppEvents_Details":"{\"Application\":)"), std::string::npos);
  EXPECT_NE(line.find(R"("DeviceFileEvents_Details":"{\"InitiatingProcessAccountUpn\":)"),
            std::string::npos);
  // Everything else is as without the option.
  const std::string plain = render({f}, OutputFormat::jsonl);
  EXPECT_EQ(line.substr(0, line.find("\"CloudAppEvents_Details\"")),
            plain.substr(0, plain.find("\"CloudAppEvents_Details\"")));
  EXPECT_EQ(line.substr(line.find(",\"USB_Drive_MatchedFiles\"")),
            plain.substr(plain.find(",\"USB_Drive_MatchedFiles\"")));
  EXPECT_EQ(render({f}, OutputFormat::json, options),
            "[\n" + line.substr(0, line.size() - 1) + "\n]\n");
}

TEST(CsvFormat, HeaderOfTheSeventeenColumnsAndCrlfRecords) {
  const std::string text = render({sample()}, OutputFormat::csv);
  const std::vector<std::string> lines = lines_of(text, "\r\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            R"("Alert_TimeGenerated","USB_TimeGenerated","UserId","AADUserId","DeviceId",)"
            R"("DeviceName","IPAddress","CloudAppEvents_Details","DeviceFileEvents_Details",)"
            R"("USB_Details","USB_Drive_MatchedFiles","InitiatingProcessFileName",)"
            R"("InitiatingProcessFolderPath","HostName","HostNameDomain","AccountName",)"
            R"("AccountUPNSuffix")");
  EXPECT_TRUE(
      lines[1].starts_with(R"("2026-03-10T09:12:44.5823417Z","2026-03-10T10:31:18.0000000Z",)"
                           R"("megan.bowen@contoso.com","b1f4","5b0e",)"));
  // Sets as JSON arrays, quotes doubled.
  EXPECT_NE(lines[1].find(R"(,"[""E:\\a.xlsx"",""E:\\b \""q\"".docx""]",)"), std::string::npos)
      << lines[1];
  EXPECT_EQ(text.find('\n'), text.find("\r\n") + 1); // no bare LF
  EXPECT_EQ(render({}, OutputFormat::csv), lines[0] + "\r\n");
}

TEST(CsvFormat, ByteOrderMarkOnRequest) {
  OutputOptions options;
  options.csv_bom = true;
  const std::string text = render({}, OutputFormat::csv, options);
  EXPECT_TRUE(text.starts_with("\xEF\xBB\xBF\"Alert_TimeGenerated\""));
  EXPECT_FALSE(render({}, OutputFormat::csv).starts_with("\xEF"));
}

TEST(CsvFormat, CellsThatStartAFormulaGetAQuote) {
  Finding f = sample("=HYPERLINK(\"http://x\")", "+dev");
  f.aad_user_id = "-1";
  f.device_id = "@SUM(A1)";
  f.ip_address = "\tx";
  f.host_name = "\rx";
  f.account_name = "a=b"; // not at the start: left alone
  const std::string record = lines_of(render({f}, OutputFormat::csv), "\r\n")[1];
  EXPECT_TRUE(record.starts_with(R"("2026-03-10T09:12:44.5823417Z","2026-03-10T10:31:18.0000000Z",)"
                                 "\"'=HYPERLINK(\"\"http://x\"\")\",\"'-1\",\"'@SUM(A1)\","
                                 "\"'+dev\",\"'\tx\","))
      << record;
  EXPECT_NE(record.find(",\"'\rx\","), std::string::npos);
  EXPECT_NE(record.find(",\"a=b\","), std::string::npos);
}

TEST(TableFormat, OneAlignedBlockPerFinding) {
  OutputOptions options;
  options.width = 80;
  const std::string text =
      render({sample(), sample("diego@fabrikam.com", "lt-1")}, OutputFormat::table, options);
  const std::vector<std::string> lines = lines_of(text);
  EXPECT_EQ(lines[0], "Finding 1 of 2 " + std::string(65, '-'));
  EXPECT_EQ(lines[1], "User       megan.bowen@contoso.com");
  EXPECT_NE(text.find("\nAlert      2026-03-10 09:12:44  from 203.0.113.45\n"), std::string::npos);
  EXPECT_NE(text.find("\nDownloads  2026-03-10 08:02:14 .. 08:51:37  2 files  "
                      "Microsoft SharePoint Online\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nCopies     2026-03-10 10:33:02 .. 10:41:28  2 files  by explorer.exe\n"),
            std::string::npos);
  EXPECT_NE(text.find("\nUSB mount  2026-03-10 10:31:18  drive E:  DataTraveler\n"),
            std::string::npos);
  EXPECT_NE(text.find("\nMatched    2 files on E:\n           E:\\a.xlsx\n"), std::string::npos);
  EXPECT_NE(text.find("\nFinding 2 of 2 "), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  for (const std::string &line : lines) {
    EXPECT_LE(line.size(), 80u) << line;
  }
  EXPECT_EQ(render({}, OutputFormat::table), "No findings.\n");
}

TEST(TableFormat, WrapsToTheWidth) {
  Finding f = sample();
  const std::string long_path = "E:\\" + std::string(120, 'x') + ".docx";
  f.matched_files = {long_path};
  OutputOptions options;
  options.width = 50;
  const std::string text = render({f}, OutputFormat::table, options);
  std::string rejoined;
  for (const std::string &line : lines_of(text)) {
    EXPECT_LE(line.size(), 50u) << line;
    if (line.starts_with("           E:\\") || line.starts_with("           xxx")) {
      rejoined += line.substr(11);
    }
  }
  EXPECT_EQ(rejoined, long_path);
}

TEST(TableFormat, EscapesControlCharactersAndColoursOnlyWhenAsked) {
  const Finding f = sample("evil\x1b]0;owned\x07@x", "dev\ncice");
  OutputOptions options;
  const std::string plain = render({f}, OutputFormat::table, options);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_EQ(plain.find('\x07'), std::string::npos);
  EXPECT_NE(plain.find("User       evil\\x1b]0;owned\\x07@x\n"), std::string::npos) << plain;
  EXPECT_NE(plain.find("Device     dev\\x0acice\n"), std::string::npos);
  options.color = true;
  const std::string coloured = render({f}, OutputFormat::table, options);
  EXPECT_NE(coloured.find("\x1b[1mevil\\x1b]0;owned\\x07@x\x1b[0m"), std::string::npos);
  EXPECT_EQ(coloured.find('\x07'), std::string::npos);
}

TEST(HtmlFormat, SelfContainedAndEscaped) {
  const Finding f = sample("<script>alert(1)</script>@x", "a&b \"c\" 'd'");
  RunSummary summary;
  summary.inputs = {"export/<x>.json"};
  LoadStats table;
  table.table = "DeviceEvents";
  table.scanned = true;
  table.files = 1;
  table.rows_read = 108;
  table.rows_kept = 5;
  summary.tables = {table};
  OutputOptions options;
  options.summary = &summary;
  const std::string text = render({f}, OutputFormat::html, options);
  EXPECT_TRUE(text.starts_with("<!DOCTYPE html>\n"));
  EXPECT_TRUE(text.ends_with("</html>\n"));
  EXPECT_EQ(text.find("<script>alert"), std::string::npos);
  EXPECT_NE(text.find("&lt;script&gt;alert(1)&lt;/script&gt;@x"), std::string::npos);
  EXPECT_NE(text.find("a&amp;b &quot;c&quot; &#39;d&#39;"), std::string::npos);
  EXPECT_NE(text.find("export/&lt;x&gt;.json"), std::string::npos);
  EXPECT_NE(text.find("<td>DeviceEvents</td><td class=\"n\">1</td>"), std::string::npos);
  EXPECT_NE(text.find("default-src 'none'"), std::string::npos);
  // Nothing is fetched: no URL, no external stylesheet, script or font.
  EXPECT_EQ(text.find("http://"), std::string::npos);
  EXPECT_EQ(text.find("https://"), std::string::npos);
  EXPECT_EQ(text.find(" src="), std::string::npos);
  EXPECT_EQ(text.find("<link"), std::string::npos);
  EXPECT_EQ(text.find("@import"), std::string::npos);
  EXPECT_NE(text.find("@media print"), std::string::npos);
  EXPECT_NE(text.find("<svg class=\"timeline\""), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\x1b'), 0);
}

TEST(HtmlFormat, TimelineIsToScale) {
  Finding f = sample();
  // downloads 08:00-09:00, alert 09:00, copies 10:00-11:00, mount 12:00: range 08:00..12:00
  // padded by 1/25 each side.
  f.downloads.start_time = at("2026-03-10T08:00:00Z");
  f.downloads.end_time = at("2026-03-10T09:00:00Z");
  f.alert_time = at("2026-03-10T09:00:00Z");
  f.copies.start_time = at("2026-03-10T10:00:00Z");
  f.copies.end_time = at("2026-03-10T11:00:00Z");
  f.usb_time = at("2026-03-10T12:00:00Z");
  const std::string text = render({f}, OutputFormat::html);
  // Plot 100..940 (840 wide) over 4 h + 2 x 9.6 min = 259.2 min: 1 h = 194.4 units.
  const double hour = 840.0 / 259.2 * 60;
  const double x0 = 100 + 840.0 / 259.2 * 9.6;
  EXPECT_NE(text.find(fmt::format("<rect class=\"dl\" x=\"{:.1f}\" y=\"20.0\" width=\"{:.1f}\"", x0,
                                  hour)),
            std::string::npos)
      << text.substr(text.find("<svg"), 2000);
  EXPECT_NE(text.find(fmt::format("<rect class=\"copy\" x=\"{:.1f}\" y=\"80.0\" width=\"{:.1f}\"",
                                  x0 + 2 * hour, hour)),
            std::string::npos);
  EXPECT_NE(text.find(fmt::format("<line class=\"usb mark\" x1=\"{:.1f}\"", x0 + 4 * hour)),
            std::string::npos);
  EXPECT_NE(text.find(fmt::format("<line class=\"alert mark\" x1=\"{:.1f}\"", x0 + hour)),
            std::string::npos);
}

TEST(HtmlFormat, NoFindingsAndNullTimes) {
  const std::string none = render({}, OutputFormat::html);
  EXPECT_NE(none.find("<h2>No findings</h2>"), std::string::npos);
  Finding f = sample();
  f.alert_time = f.usb_time = f.mount.time = Datetime::null();
  f.downloads.start_time = f.downloads.end_time = Datetime::null();
  f.copies.start_time = f.copies.end_time = Datetime::null();
  EXPECT_NE(render({f}, OutputFormat::html).find("No times to draw"), std::string::npos);
}

TEST(Writers, HandOutputToTheSinkInPieces) {
  FindingTable findings;
  std::vector<std::string> names;
  for (int i = 0; i < 2000; ++i) {
    names.push_back(fmt::format("user{:04}@example.com", i));
  }
  for (const std::string &name : names) {
    findings.push_back(sample(name));
  }
  for (OutputFormat format : {OutputFormat::jsonl, OutputFormat::json, OutputFormat::csv,
                              OutputFormat::table, OutputFormat::html}) {
    SCOPED_TRACE(output_format_name(format));
    OutputOptions options;
    options.format = format;
    std::vector<std::string> pieces;
    write_findings(findings, options, [&](std::string_view piece) { pieces.emplace_back(piece); });
    ASSERT_GT(pieces.size(), 3u);
    std::string joined;
    for (const std::string &piece : pieces) {
      EXPECT_LE(piece.size(), 80u * 1024);
      joined += piece;
    }
    EXPECT_EQ(joined, render_findings(findings, options));
    EXPECT_LT(joined.find("user0000@"), joined.find("user1999@"));
  }
}
