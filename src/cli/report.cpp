#include "cli/report.hpp"
#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <algorithm>

#include <sys/resource.h>

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

std::uint64_t peak_memory_bytes() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) {
    return 0;
  }
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024; // Linux: kilobytes
}

namespace {

std::string short_time(Datetime time) {
  std::string text = format_datetime(time); // 2026-03-10T08:00:00.0000000Z
  const std::size_t dot = text.find('.');
  if (dot != std::string::npos) {
    text.erase(dot, text.size() - 1 - dot); // seconds are enough to see where the data lies
  }
  return text;
}

std::string bound_text(Datetime bound, std::string_view open) {
  return bound.is_null() ? std::string(open) : short_time(bound);
}

/// ", TimeGenerated A to B, N outside the window": where the rows the rule could use lie.
std::string time_part(const TimeTally &times, const TimeWindow &window) {
  std::string text;
  if (!times.first.is_null()) {
    text = times.first == times.last ? fmt::format(", TimeGenerated {}", short_time(times.first))
                                     : fmt::format(", TimeGenerated {} to {}",
                                                   short_time(times.first), short_time(times.last));
  }
  if (!window.is_open()) {
    text += fmt::format(", {} outside the window", times.outside);
  }
  return text;
}

} // namespace

std::string window_text(const TimeWindow &window) {
  return fmt::format("[{}, {})", bound_text(window.from, "-inf"), bound_text(window.to, "+inf"));
}

void report_summary(spdlog::logger &log, const PipelineResult &result, const TimeWindow &window,
                    double seconds, bool verbose) {
  for (const LoadStats &table : result.tables) {
    if (!table.scanned) {
      log.info("{}: {}, not read (no earlier stage left anything to join it to)", table.table,
               plural(table.files, "file"));
      continue;
    }
    const std::uint64_t validated =
        table.rows_read - std::min(table.rows_read, table.lines_passed_over);
    log.info("{}: {}, {}, {} read{}, {} skipped, {} used by the rule{}, {}, {:.3f} s", table.table,
             plural(table.files, "file"), human_bytes(table.bytes), plural(table.rows_read, "row"),
             table.lines_passed_over > 0 ? fmt::format(" ({} validated in full)", validated)
                                         : std::string(),
             table.rows_skipped, table.rows_kept, time_part(table.times, window),
             plural(table.warnings, "warning"), table.seconds);
  }
  // Rows the pre-filter passed over were checked only for their shape: say so, once.
  if (std::any_of(result.tables.begin(), result.tables.end(),
                  [](const LoadStats &table) { return table.lines_passed_over > 0; })) {
    log.info(
        "note: {}",
        "rows not validated in full hold nothing the rule needs and were "
        "checked only for their shape ({...} or [...], no NUL or other control byte below tab); "
        "--validate-all parses every row");
  }
  // A window that misses the data must not pass for a quiet day.
  for (const LoadStats &table : result.tables) {
    if (table.scanned && !window.is_open() && table.times.tested > 0 &&
        table.times.outside == table.times.tested) {
      log.warn("warning: {}: the window {} holds none of the {} the rule could use{}", table.table,
               window_text(window), plural(table.times.tested, "row"),
               table.times.first.is_null()
                   ? std::string(" (none has a TimeGenerated)")
                   : fmt::format(" (their TimeGenerated spans {} to {})",
                                 short_time(table.times.first), short_time(table.times.last)));
    }
  }
  // A table that had rows but gave the rule nothing: often a column the rule needs is missing
  // or empty in the export (a custom projection, another schema), which inspect shows.
  for (const LoadStats &table : result.tables) {
    const bool window_missed =
        !window.is_open() && table.times.tested > 0 && table.times.outside == table.times.tested;
    if (table.scanned && table.rows_read > table.rows_skipped && table.rows_kept == 0 &&
        !window_missed) {
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
  std::uint64_t bytes = 0;
  for (const LoadStats &table : result.tables) {
    bytes += table.scanned ? table.bytes : 0;
  }
  log.info("{} written in {:.3f} s ({} read, {}/s; peak memory {})",
           plural(result.findings.size(), "finding"), seconds, human_bytes(bytes),
           human_bytes(seconds > 0
                           ? static_cast<std::uint64_t>(static_cast<double>(bytes) / seconds)
                           : bytes),
           human_bytes(peak_memory_bytes()));
}

} // namespace usbexfil::cli
