// CSV (RFC 4180): a header of the 17 columns of findings.md, in their order, then one record per
// finding; CRLF line ends; every field quoted, `"` doubled. Datetimes as in JSON; the three
// `_Details` columns and USB_Drive_MatchedFiles as compact JSON text (an object; an array of
// strings), lossless and what Log Analytics' own CSV export gives for dynamic columns. UTF-8,
// with a byte-order mark on request (Excel then reads UTF-8). With --enrich, an 18th column,
// Enrichment, holds the enrichment object as compact JSON.
//
// Formula injection (OWASP, "CSV Injection"): a field whose first character is `=`, `+`, `-`,
// `@`, TAB or CR would be read as a formula by a spreadsheet; it gets a `'` in front, inside the
// quotes, so that the cell shows the text. A JSON or datetime field never starts so; a string
// from the data may.
#include "output/piece_buffer.hpp"
#include "output/writers.hpp"

#include <array>
#include <string_view>

namespace usbexfil::output {
namespace {

constexpr std::array<std::string_view, 17> COLUMNS{
    "Alert_TimeGenerated",
    "USB_TimeGenerated",
    "UserId",
    "AADUserId",
    "DeviceId",
    "DeviceName",
    "IPAddress",
    "CloudAppEvents_Details",
    "DeviceFileEvents_Details",
    "USB_Details",
    "USB_Drive_MatchedFiles",
    "InitiatingProcessFileName",
    "InitiatingProcessFolderPath",
    "HostName",
    "HostNameDomain",
    "AccountName",
    "AccountUPNSuffix",
};

bool starts_a_formula(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  switch (text.front()) {
  case '=':
  case '+':
  case '-':
  case '@':
  case '\t':
  case '\r':
    return true;
  default:
    return false;
  }
}

/// Appends `text` as one quoted field, neutralised against formula injection.
void append_field(std::string &out, std::string_view text) {
  out.push_back('"');
  if (starts_a_formula(text)) {
    out.push_back('\'');
  }
  // Quotes are rare: memchr (through find) skips the runs between them.
  std::size_t run = 0;
  for (std::size_t quote = text.find('"'); quote != std::string_view::npos;
       quote = text.find('"', run)) {
    out.append(text.data() + run, quote + 1 - run);
    out.push_back('"');
    run = quote + 1;
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

class CsvWriter final : public FindingsWriter {
public:
  CsvWriter(bool bom, bool enrich) : bom_(bom), enrich_(enrich) {}

  void write(const FindingTable &findings, const OutputSink &sink) const override {
    PieceBuffer buffer(sink);
    std::string &out = buffer.text;
    if (bom_) {
      out += "\xEF\xBB\xBF";
    }
    for (std::size_t i = 0; i < COLUMNS.size(); ++i) {
      if (i > 0) {
        out.push_back(',');
      }
      append_field(out, COLUMNS[i]);
    }
    if (enrich_) {
      out += ",\"Enrichment\"";
    }
    out += "\r\n";
    std::string cell;
    const auto field = [&](std::string_view text) {
      append_field(out, text);
      out.push_back(',');
    };
    const auto time = [&](Datetime value) {
      cell.clear();
      append_datetime(cell, value);
      field(cell);
    };
    for (const Finding &f : findings) {
      time(f.alert_time);
      time(f.usb_time);
      field(f.user_id);
      field(f.aad_user_id);
      field(f.device_id);
      field(f.device_name);
      field(f.ip_address);
      cell.clear();
      append_downloads_details(cell, f.downloads);
      field(cell);
      cell.clear();
      append_copies_details(cell, f.copies);
      field(cell);
      cell.clear();
      append_usb_details(cell, f.mount);
      field(cell);
      cell.clear();
      append_json_set(cell, f.matched_files);
      field(cell);
      field(f.initiating_process_file_name);
      field(f.initiating_process_folder_path);
      field(f.host_name);
      field(f.host_name_domain);
      field(f.account_name);
      append_field(out, f.account_upn_suffix);
      if (enrich_) {
        cell.clear();
        if (f.enrichment) {
          append_enrichment(cell, *f.enrichment);
        }
        out.push_back(',');
        append_field(out, cell);
      }
      out += "\r\n";
      buffer.flush_if_full();
    }
    buffer.finish();
  }

private:
  bool bom_;
  bool enrich_;
};

} // namespace

std::unique_ptr<FindingsWriter> make_csv_writer(const OutputOptions &options) {
  return std::make_unique<CsvWriter>(options.csv_bom, options.enrich);
}

} // namespace usbexfil::output
