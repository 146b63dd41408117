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

/// "812 bytes", "61.0 kB", "310.4 MB", "5.58 GB" (decimal units).
std::string human_bytes(std::uint64_t bytes);

/// Prints rows read, skipped and kept per table, findings written and the elapsed time; with
/// `verbose`, also each stage's rows in, rows out and time.
void report_summary(spdlog::logger &log, const PipelineResult &result, double seconds,
                    bool verbose);

} // namespace usbexfil::cli
