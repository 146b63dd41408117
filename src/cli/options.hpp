// Command-line arguments as a plain struct, parsed and validated before any work starts.
#pragma once

#include "usbexfil/output/writer.hpp"
#include "usbexfil/pipeline.hpp"

#include <optional>
#include <string>
#include <vector>

namespace usbexfil::cli {

enum class Verbosity { quiet, normal, verbose };

/// The subcommand.
enum class Command { run, inspect, test, explain };

/// What `usbexfil run` (or `inspect`) was asked to do.
struct RunOptions {
  Command command = Command::run;
  InputSpec inputs;
  std::string output;                        ///< empty: standard output
  OutputFormat format = OutputFormat::jsonl; ///< --format
  bool sentinel_strings = false;             ///< --sentinel-strings: _Details as JSON text
  bool csv_bom = false;                      ///< --csv-bom: a UTF-8 byte-order mark first
  bool explain_json = false;                 ///< explain --format json
  PipelineOptions pipeline;
  Verbosity verbosity = Verbosity::normal;
  bool fail_on_findings = false;         ///< exit 1 when there is a finding
  std::string expect;                    ///< --expect FILE: exit 1 unless the findings equal FILE's
  std::vector<std::string> case_dirs;    ///< `usbexfil test DIR...`
  std::string output_dir;                ///< --output-dir: findings and run file per window
  std::string stats_json;                ///< --stats-json FILE: the run file
  std::string log_file;                  ///< --log-file FILE: messages appended, timestamped
  std::vector<std::string> command_line; ///< argv, for the run file
};

/// The outcome of parsing: options to run, or an exit code to return at once (after --help,
/// --version or a usage error, whose message has been printed).
struct Parsed {
  std::optional<RunOptions> run;
  int exit_code = 0;
};

/// Parses argv; prints help, version or usage errors itself.
Parsed parse_arguments(int argc, char **argv);

} // namespace usbexfil::cli
