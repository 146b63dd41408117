#include "cli/inspect_report.hpp"

#include "usbexfil/text.hpp"

#include <fmt/format.h>

namespace usbexfil::cli {
namespace {

/// 400000 -> "400,000".
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<std::size_t>(at), ",");
  }
  return digits;
}

std::string how_read(const FileReport &report) {
  std::string how;
  if (report.compression != "none") {
    how += report.compression + ", ";
  }
  if (report.utf16) {
    how += "UTF-16, ";
  }
  how += report.shape.empty() ? "not read" : report.shape;
  if (!report.records.empty()) {
    how += ": " + report.records;
  }
  return how;
}

void format_table(std::string &out, const TableUse &use) {
  out += fmt::format("  {}: {} row{}", table_name(use.table), grouped(use.rows),
                     use.rows == 1 ? "" : "s");
  if (!use.first.is_null()) {
    out += fmt::format(", TimeGenerated {} .. {}", format_datetime(use.first),
                       format_datetime(use.last));
  } else {
    out += ", no readable TimeGenerated";
  }
  out += "\n";
  std::string missing;
  std::string empty;
  for (const ColumnUse &column : use.columns) {
    if (column.present == 0) {
      missing += (missing.empty() ? "" : ", ") + column.name;
    } else if (column.nonempty == 0) {
      empty += (empty.empty() ? "" : ", ") + column.name;
    }
  }
  if (!missing.empty()) {
    out += fmt::format("    missing in all rows: {}\n", missing);
  }
  if (!empty.empty()) {
    out += fmt::format("    empty in all rows: {}\n", empty);
  }
}

} // namespace

std::string format_inspection(const Inspection &inspection) {
  std::string out;
  for (const InspectedFile &file : inspection.files) {
    const FileReport &report = file.report;
    // File and folder names are shown, never obeyed by the terminal (escape_terminal).
    out += fmt::format("{}\n  {}; {}\n", escape_terminal(report.label), how_read(report),
                       escape_terminal(file.placement));
    if (!report.skipped.empty()) {
      out += fmt::format("  not read: {}\n", report.skipped);
      continue;
    }
    out += fmt::format("  {} record{}, {} bad\n", grouped(report.records_read),
                       report.records_read == 1 ? "" : "s", grouped(report.errors));
    for (const TableUse &use : file.tables) {
      format_table(out, use);
    }
    if (file.tables.empty()) {
      out += "  no rows for any of the four tables\n";
    }
  }
  return out;
}

} // namespace usbexfil::cli
