#include "cli/report.hpp"

#include <fmt/format.h>

namespace usbexfil::cli {

void report_diagnostics(spdlog::logger &log, const PipelineResult &result) {
  for (const std::string &warning : result.warnings) {
    log.warn("warning: {}", warning);
  }
  for (const LoadStats &table : result.tables) {
    for (const FileDiagnostics &file : table.diagnostics) {
      for (const Diagnostic &diagnostic : file.shown) {
        log.warn("warning: {}{}", format_diagnostic(diagnostic),
                 diagnostic.severity != Severity::error ? ""
                 : diagnostic.line == 0                 ? ""
                                                        : " (line skipped)");
      }
      if (file.not_shown > 0) {
        log.warn("warning: {}: ... and {} more", file.file, file.not_shown);
      }
    }
  }
}

namespace {

std::string plural(std::uint64_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

} // namespace

std::string human_bytes(std::uint64_t bytes) {
  const auto n = static_cast<double>(bytes);
  if (bytes < 1000) {
    return plural(bytes, "byte");
  }
  if (bytes < 1000 * 1000) {
    return fmt::format("{:.1f} kB", n / 1e3);
  }
  if (bytes < 1000 * 1000 * 1000) {
    return fmt::format("{:.1f} MB", n / 1e6);
  }
  return fmt::format("{:.2f} GB", n / 1e9);
}

namespace {

} // namespace

void report_summary(spdlog::logger &log, const PipelineResult &result, double seconds,
                    bool verbose) {
  for (const LoadStats &table : result.tables) {
    if (!table.scanned) {
      log.info("{}: {}, not read (no earlier stage left anything to join it to)", table.table,
               plural(table.files, "file"));
      continue;
    }
    log.info("{}: {}, {}, {} read, {} skipped, {} used by the rule, {}, {:.3f} s", table.table,
             plural(table.files, "file"), human_bytes(table.bytes),
             plural(table.rows_read, "row"), table.rows_skipped, table.rows_kept,
             plural(table.warnings, "warning"), table.seconds);
  }
  // A table that had rows but gave the rule nothing: often a column the rule needs is missing
  // or empty in the export (a custom projection, another schema), which inspect shows.
  for (const LoadStats &table : result.tables) {
    if (table.scanned && table.rows_read > table.rows_skipped && table.rows_kept == 0) {
      log.info("hint: {}: {} read, none could reach a finding; `usbexfil inspect` with the same "
               "inputs shows which of the rule's columns are missing or empty",
               table.table, plural(table.rows_read, "row"));
    }
  }
  if (verbose) {
    for (const StageStats &stage : result.stages) {
      log.info("stage {}: {} rows in, {} rows out, {:.3f} s", stage.name, stage.rows_in,
               stage.rows_out, stage.seconds);
    }
  }
  log.info("{} written in {:.3f} s", plural(result.findings.size(), "finding"), seconds);
}

} // namespace usbexfil::cli
