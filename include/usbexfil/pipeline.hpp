// The whole rule as one list of loads and stages (run_pipeline), with what each step read,
// kept and took, recorded as data for the CLI to report.
#pragma once

#include "usbexfil/finding.hpp"
#include "usbexfil/load/inputs.hpp"
#include "usbexfil/load/scan.hpp"

#include <memory>
#include <string>
#include <vector>

namespace usbexfil {

/// How to run the rule.
struct PipelineOptions {
  TimeWindow window;     ///< `[from, to)` on TimeGenerated of all four tables
  ScanOptions scan;      ///< threads, chunk size, strictness
  bool push_down = true; ///< push what earlier stages know into later scans (false: tests)
  bool enrich = false;   ///< --enrich: set each finding's `enrichment` (enrich.hpp)
};

/// Rows in and out of one stage, and its time.
struct StageStats {
  std::string name;
  std::size_t rows_in = 0;
  std::size_t rows_out = 0;
  double seconds = 0;
};

/// The findings, with the statistics and diagnostics of the run.
struct PipelineResult {
  FindingTable findings;
  std::vector<LoadStats> tables;       ///< one per source table, in load order
  std::vector<StageStats> stages;      ///< in run order
  std::vector<std::string> warnings;   ///< run-level warnings (a table or file with no input)
  std::shared_ptr<const void> storage; ///< keeps the tables the findings' strings point into
};

/// Runs the rule over the given inputs. Throws Error on unreadable input, on inputs that give
/// none of the four tables anything, or, with `options.scan.strict`, on the first data error.
PipelineResult run_pipeline(const Inputs &inputs, const PipelineOptions &options);

} // namespace usbexfil
