// What the CLI says on stderr: diagnostics, warnings and the closing summary.
#pragma once

#include <cstdint>
#include <string>

#include "cli/options.hpp"
#include "usbexfil/pipeline.hpp"

#include <spdlog/logger.h>

namespace usbexfil::cli {

/// Prints run warnings and the per-file diagnostics (capped, with a count of the rest).
void report_diagnostics(spdlog::logger &log, const PipelineResult &result);

/// The process's peak resident memory so far (getrusage), in bytes.
std::uint64_t peak_memory_bytes();

/// "[2026-03-10T00:00:00Z, +inf)": a window as the messages show it.
std::string window_text(const TimeWindow &window);

/// Prints per table the rows read, skipped and used, the TimeGenerated span of the rows the rule
/// could use and how many fell outside `window`; a warning for a table whose rows all fall outside
/// it; findings written and the elapsed time; with `verbose`, each stage's rows in and out and
/// time.
void report_summary(spdlog::logger &log, const PipelineResult &result, const TimeWindow &window,
                    double seconds, bool verbose);

} // namespace usbexfil::cli
