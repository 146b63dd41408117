#include "cli/options.hpp"
#include "cli/nightly.hpp"
#include "load/simd/level.hpp"
#include "usbexfil/text.hpp"
#include "usbexfil_version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <thread>

namespace usbexfil::cli {
namespace {

constexpr const char *RUN_EXAMPLES = R"(
Examples:
  usbexfil run export/                      findings as JSON lines on stdout
  usbexfil run export.zip day2/*.jsonl.gz   archives, compressed files, several paths
  usbexfil run export/ -o findings.jsonl    write a file (replaced only on success)
  usbexfil run export/ --from 2026-03-10 --to 2026-03-11
                                            only rows with TimeGenerated in that day
  usbexfil run --alerts a.json --device-events - < de.json.gz
                                            per-table options, standard input
  usbexfil run export/ --strict -q          fail (exit 2) on the first data error
  usbexfil run export/ | jq -r .UserId      one user per finding
  usbexfil run fixture/ --strict -q --expect fixture/expected.jsonl -o /dev/null
                                            CI: exit 1 and a diff unless the findings are these

PATH is a file, a folder (read recursively) or - (standard input): JSON lines, pretty JSON,
arrays, Log Analytics and advanced hunting API responses, Defender streaming and Event Hub
envelopes, portal CSV; gzip, zstd, bzip2, xz; zip and tar; UTF-16. A file's table comes from
its option, its name (SecurityAlert*, CloudAppEvents*, DeviceFileEvents*, DeviceEvents*, any
case), its folder (DeviceEvents/, am-deviceevents/, insights-logs-advancedhunting-deviceevents/)
or its records (Type, TableName, category). `usbexfil inspect PATH...` shows what is read.
Exit status: 0 success (with or without findings); 1 findings differ from --expect's, or
findings under --fail-on-findings; 2 usage error, unreadable input, write failure, or a data
error, a missing table or an unread file under --strict.)";

constexpr const char *INSPECT_EXAMPLES = R"(
Examples:
  usbexfil inspect export/                  what each file is and which table it feeds
  usbexfil inspect export.zip -             archive members, standard input

Per file (and archive member): compression, shape, table and what decided it, rows, bad rows,
the TimeGenerated range, and the columns the rule reads that are missing or always empty.
Exit status: 0 when everything could be read, 2 on an unreadable input.)";

constexpr const char *EXPLAIN_EXAMPLES = R"(
Examples:
  usbexfil explain export/                  the funnel, then per alert where its chain ended
  usbexfil explain export/ --format json    the same as one JSON document, for tools
  usbexfil explain export/ --from 2026-03-10 --to 2026-03-11

Takes run's inputs and options. Per alert that passed stage 1 (name and status): the stage at
which its chain ended, the test that failed, and the nearest candidates (docs/explain.md).
Exit status: 0 when the explanation was written, 2 as for run.)";

constexpr const char *TEST_EXAMPLES = R"(
Examples:
  usbexfil test cases/                      every case folder under cases/
  usbexfil test cases/01-basic cases/02-late-copy

A case folder holds expected.jsonl (the findings it must give, in any form --expect reads) and
its inputs: the folder in/ when there is one, else the case folder itself. An args file (args or
ARGS, in the case folder or in in/) gives the run's arguments instead, e.g.
`--alerts a.json --from 2026-03-10`; its paths are relative to the folder that holds it, and
- reads the file STDIN beside it. Prints one line per case and `N passed, M failed`.
Exit status: 0 when every case passed, 1 when one failed, 2 when a DIR holds no case.)";

/// The per-table options of `run` and `inspect`.
void add_table_options(CLI::App &command, InputSpec &inputs) {
  command.add_option("PATH", inputs.paths, "Files, folders (read recursively) or - (stdin)");
  command.add_option("--alerts", inputs.tables[0], "SecurityAlert file or folder (repeatable)");
  command.add_option("--cloud-app-events", inputs.tables[1],
                     "CloudAppEvents file or folder (repeatable)");
  command.add_option("--device-file-events", inputs.tables[2],
                     "DeviceFileEvents file or folder (repeatable)");
  command.add_option("--device-events", inputs.tables[3],
                     "DeviceEvents file or folder (repeatable)");
}

/// At least one input, and `-` at most once (inputs.md D1, D4).
void check_inputs(const InputSpec &inputs) {
  std::size_t count = inputs.paths.size();
  std::size_t dashes =
      static_cast<std::size_t>(std::count(inputs.paths.begin(), inputs.paths.end(), "-"));
  for (const auto &paths : inputs.tables) {
    count += paths.size();
    dashes += static_cast<std::size_t>(std::count(paths.begin(), paths.end(), "-"));
  }
  if (count == 0) {
    throw CLI::ValidationError("PATH", "give at least one PATH, or --alerts, --cloud-app-events, "
                                       "--device-file-events or --device-events");
  }
  if (dashes > 1) {
    throw CLI::ValidationError("PATH", "- (standard input) can be given once");
  }
}

/// --csv-bom only with csv, --sentinel-strings only where _Details are JSON (docs/cli.md).
void check_format_options(const RunOptions &options) {
  if (options.csv_bom && options.format != OutputFormat::csv) {
    throw CLI::ValidationError("--csv-bom", "is for --format csv");
  }
  if (options.sentinel_strings &&
      (options.format == OutputFormat::table || options.format == OutputFormat::html)) {
    throw CLI::ValidationError("--sentinel-strings",
                               "is for --format jsonl, json or csv, not " +
                                   std::string(output_format_name(options.format)));
  }
}

// Reads a --from/--to bound: a full ISO 8601 datetime, or a bare date meaning its midnight UTC.
Datetime parse_bound(const std::string &text, const char *flag) {
  Datetime value = parse_datetime(text);
  if (value.is_null() && text.size() == 10) {
    value = parse_datetime(text + "T00:00:00Z");
  }
  if (value.is_null()) {
    throw CLI::ValidationError(
        flag, fmt::format("'{}' is not an ISO 8601 datetime (e.g. 2026-03-10T00:00:00Z)", text));
  }
  return value;
}

/// --lookback DURATION [--now TIME]: the window [now - DURATION, now), instead of --from/--to.
void apply_lookback(const std::string &lookback, const std::string &now, const std::string &from,
                    const std::string &to, TimeWindow &window) {
  if (lookback.empty()) {
    throw CLI::ValidationError("--now", "is the end of --lookback's window: give --lookback too");
  }
  if (!from.empty() || !to.empty()) {
    throw CLI::ValidationError("--lookback", "sets the window: give it or --from/--to, not both");
  }
  const std::optional<std::int64_t> ticks = parse_duration(lookback);
  if (!ticks) {
    throw CLI::ValidationError(
        "--lookback",
        fmt::format("'{}' is not a duration (a number and d, h, m or s: 1d, 12h, 90m, 1d12h)",
                    lookback));
  }
  const Datetime end = now.empty() ? clock_now() : parse_bound(now, "--now");
  if (end.ticks() - *ticks < 0) {
    throw CLI::ValidationError("--lookback", fmt::format("'{}' reaches before year 1", lookback));
  }
  window.from = Datetime::from_ticks(end.ticks() - *ticks);
  window.to = end;
}

/// --output-dir names its files after the window, so it needs both bounds; it is an existing
/// folder; and the findings go there, not to -o.
void check_output_dir(const RunOptions &options) {
  if (!options.output.empty()) {
    throw CLI::ValidationError("--output-dir", "writes the findings itself: give it or -o");
  }
  if (options.pipeline.window.from.is_null() || options.pipeline.window.to.is_null()) {
    throw CLI::ValidationError("--output-dir", "names its files after the window: give "
                                               "--lookback, or both --from and --to");
  }
  std::error_code error;
  if (!std::filesystem::is_directory(options.output_dir, error)) {
    throw CLI::ValidationError("--output-dir",
                               fmt::format("'{}' is not a folder", options.output_dir));
  }
}

/// `usbexfil --version`: what a bug report needs, the SIMD kernels chosen on this CPU among them.
std::string version_text() {
  return fmt::format("usbexfil {} (commit {})\nbuild: {}, {}\nsimd: pre-filter {}, JSON parser {}",
                     USBEXFIL_VERSION, USBEXFIL_COMMIT, USBEXFIL_BUILD_TYPE, USBEXFIL_BUILD_TARGET,
                     simd::name(simd::active()), simd::json_parser_kernel());
}

/// "usbexfil" or "usbexfil run": how help and usage errors name a command.
std::string command_name(const CLI::App &command) {
  return command.get_parent() == nullptr ? "usbexfil" : "usbexfil " + command.get_name();
}

} // namespace

Parsed parse_arguments(int argc, char **argv) {
  CLI::App app{"usbexfil: the Sentinel rule \"Mass Download & copy to USB device by single "
               "user\", run offline over exported tables.",
               "usbexfil"};
  app.set_version_flag("--version", version_text);
  app.require_subcommand(1);
  CLI::App *run = app.add_subcommand("run", "Run the rule over the tables' exports");
  run->footer(RUN_EXAMPLES);
  CLI::App *inspect =
      app.add_subcommand("inspect", "Show how each input file is read, and what it holds");
  CLI::App *help = app.add_subcommand("help", "Print this help, or a subcommand's: help run");
  help->allow_extras();
  inspect->footer(INSPECT_EXAMPLES);

  RunOptions options;
  options.command_line.assign(argv, argv + argc);
  std::string from;
  std::string to;
  bool quiet = false;
  bool verbose = false;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::size_t chunk_size = options.pipeline.scan.chunk_size;
  add_table_options(*run, options.inputs);
  run->add_option("-o,--output", options.output,
                  "Write findings to FILE (via a temporary file, renamed on success)");
  run->add_option("--format", options.format,
                  "Output format: jsonl (default), json, csv, table, html (docs/cli.md)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, OutputFormat>{{"jsonl", OutputFormat::jsonl},
                                              {"json", OutputFormat::json},
                                              {"csv", OutputFormat::csv},
                                              {"table", OutputFormat::table},
                                              {"html", OutputFormat::html}}));
  run->add_flag("--sentinel-strings", options.sentinel_strings,
                "jsonl, json: the _Details columns as JSON text, as Sentinel's tostring() gives");
  run->add_flag("--csv-bom", options.csv_bom, "csv: start with a UTF-8 byte-order mark (Excel)");
  run->add_flag("--enrich", options.pipeline.enrich,
                "Add per finding an Enrichment: FindingId, SystemAlertIds, the drive's serial "
                "number and maker, each matched file's copies (time, size, SHA256)");
  std::string lookback;
  std::string now;
  run->add_option("--lookback", lookback,
                  "The window [now - DURATION, now): 1d, 12h, 90m, 1d12h (the rule's period: 1d)");
  run->add_option("--now", now, "With --lookback: the window's end (ISO 8601; default: the clock)");
  run->add_option("--output-dir", options.output_dir,
                  "Write findings-<from>_<to>.<format> and run-<from>_<to>.json into DIR "
                  "(atomically; a lock keeps out a second run)");
  run->add_option("--stats-json", options.stats_json,
                  "Write the run file (inputs, per-table counts, stages, timings, findings' "
                  "FindingIds, exit status) to FILE");
  run->add_option("--log-file", options.log_file,
                  "Also append the messages to FILE with UTC timestamps (rotated at 10 MB)");
  run->add_option("--from", from, "Keep rows with TimeGenerated >= this (ISO 8601, UTC default)");
  run->add_option("--to", to, "Keep rows with TimeGenerated < this (ISO 8601)");
  run->add_flag("--strict", options.pipeline.scan.strict,
                "Stop with exit 2 at the first malformed line (and check every line)");
  run->add_option(
         "-j,--threads", threads,
         "Parsing threads per table, at most (default: all cores; a table gets one per 4 MiB)")
      ->check(CLI::Range(1u, 256u));
  run->add_option("--chunk-size", chunk_size, "Bytes read at once, e.g. 64k, 4M (default 2M)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 30));
  std::size_t max_record = options.pipeline.scan.max_record_size;
  run->add_option("--max-record-size", max_record,
                  "Longest record (line, JSON value, CSV record) read, e.g. 64M (default 256M); "
                  "a longer one is a data error")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 40));
  run->add_flag("--fail-on-findings", options.fail_on_findings,
                "Exit 1 when there is at least one finding (for a fixture that must stay clean)");
  run->add_option("--expect", options.expect,
                  "Exit 1, with the differences on stderr, unless the findings equal FILE's "
                  "(JSON lines, JSON array or CSV, as usbexfil or Sentinel writes them)");
  run->add_flag("--validate-all", options.pipeline.scan.validate_all_lines,
                "Parse and report every malformed line, also lines that cannot match");
  auto *quiet_flag = run->add_flag("-q,--quiet", quiet, "Print errors only on stderr");
  run->add_flag("-v,--verbose", verbose, "Also print per-stage statistics")->excludes(quiet_flag);

  CLI::App *test = app.add_subcommand(
      "test", "Run case folders (inputs + expected.jsonl [+ args]) and compare their findings");
  test->footer(TEST_EXAMPLES);
  test->add_option("DIR", options.case_dirs,
                   "A case folder, or a folder of case folders (read in name order)")
      ->required();
  test->add_option("-j,--threads", threads, "Parsing threads per table (default: all cores)")
      ->check(CLI::Range(1u, 256u));

  InputSpec inspect_inputs;
  add_table_options(*inspect, inspect_inputs);
  inspect->add_option("-j,--threads", threads, "Threads (default: all cores)")
      ->check(CLI::Range(1u, 256u));

  // `explain`: run's inputs, window and scan options, bound to the same variables.
  CLI::App *explain = app.add_subcommand(
      "explain", "Show the rule's funnel and, per alert, where its chain ended and why");
  explain->footer(EXPLAIN_EXAMPLES);
  InputSpec explain_inputs;
  add_table_options(*explain, explain_inputs);
  explain->add_option("-o,--output", options.output, "Write the explanation to FILE (atomically)");
  std::string explain_format = "text";
  explain->add_option("--format", explain_format, "text (default, for people) or json (for tools)")
      ->check(CLI::IsMember({"text", "json"}));
  explain->add_option("--lookback", lookback, "The window [now - DURATION, now), as for run");
  explain->add_option("--now", now, "With --lookback: the window's end (ISO 8601)");
  explain->add_option("--from", from, "Keep rows with TimeGenerated >= this (ISO 8601)");
  explain->add_option("--to", to, "Keep rows with TimeGenerated < this (ISO 8601)");
  explain->add_flag("--strict", options.pipeline.scan.strict,
                    "Stop with exit 2 at the first malformed line (and check every line)");
  explain->add_option("-j,--threads", threads, "Parsing threads per table, at most")
      ->check(CLI::Range(1u, 256u));
  explain->add_option("--chunk-size", chunk_size, "Bytes read at once, e.g. 64k, 4M (default 2M)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 30));
  explain->add_option("--max-record-size", max_record, "Longest record read (default 256M)")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 40));
  explain->add_flag("--validate-all", options.pipeline.scan.validate_all_lines,
                    "Parse and report every malformed line, also lines that cannot match");
  auto *explain_quiet = explain->add_flag("-q,--quiet", quiet, "Print errors only on stderr");
  explain->add_flag("-v,--verbose", verbose, "Accepted for symmetry with run")
      ->excludes(explain_quiet);
  try {
    app.parse(argc, argv);
    if (help->parsed()) {
      const std::vector<std::string> topic = help->remaining();
      const CLI::App *about = &app;
      if (!topic.empty()) {
        if (topic.front() == "run") {
          about = run;
        } else if (topic.front() == "inspect") {
          about = inspect;
        } else if (topic.front() == "test") {
          about = test;
        } else if (topic.front() == "explain") {
          about = explain;
        }
      }
      // App::help() would describe the subcommand parsed last, `help` itself.
      const std::string text = about->get_formatter()->make_help(about, command_name(*about),
                                                                 CLI::AppFormatMode::Normal);
      std::fputs(text.c_str(), stdout);
      return {std::nullopt, 0};
    }
    if (test->parsed()) {
      options.command = Command::test;
      options.pipeline.scan.threads = threads;
      return {std::move(options), 0};
    }
    if (inspect->parsed()) {
      options.command = Command::inspect;
      options.inputs = std::move(inspect_inputs);
    }
    if (explain->parsed()) {
      options.command = Command::explain;
      options.inputs = std::move(explain_inputs);
      options.explain_json = explain_format == "json";
    }
    check_inputs(options.inputs);
    check_format_options(options);
    if (!from.empty()) {
      options.pipeline.window.from = parse_bound(from, "--from");
    }
    if (!to.empty()) {
      options.pipeline.window.to = parse_bound(to, "--to");
    }
    if (!lookback.empty() || !now.empty()) {
      apply_lookback(lookback, now, from, to, options.pipeline.window);
    }
    if (!options.output_dir.empty()) {
      check_output_dir(options);
    }
    // The window is [from, to): a bound not before the other selects nothing, which is never
    // what was meant and would look like a clean run with no findings.
    if (!from.empty() && !to.empty() &&
        !(options.pipeline.window.from < options.pipeline.window.to)) {
      throw CLI::ValidationError(
          "--from",
          fmt::format("'{}' is not before --to '{}': the window [from, to) is empty", from, to));
    }
  } catch (const CLI::ParseError &error) {
    if (error.get_exit_code() == 0) { // --help, --version
      app.exit(error);
      return {std::nullopt, 0};
    }
    // Bare `usbexfil`: the usage, as an answer to "what can this do?", on stderr (exit 2).
    if (argc <= 1) {
      std::fputs(app.help().c_str(), stderr);
      return {std::nullopt, 2};
    }
    // Usage errors read like every other message: `usbexfil: error: ...`.
    const CLI::App *where = run->parsed()       ? run
                            : inspect->parsed() ? inspect
                            : test->parsed()    ? test
                            : explain->parsed() ? explain
                                                : &app;
    const std::string first = argv[1];
    const std::string message =
        where == &app && !first.starts_with('-')
            ? fmt::format("'{}' is not a subcommand: use run, explain, inspect, test or help",
                          first)
            : std::string(error.what());
    std::fprintf(stderr, "usbexfil: error: %s\nRun '%s --help' for more information.\n",
                 escape_terminal(message).c_str(), command_name(*where).c_str());
    return {std::nullopt, 2};
  }
  if (options.output == "-") {
    options.output.clear(); // `-o -`: standard output, as for inputs
  }
  options.pipeline.scan.threads = threads;
  options.pipeline.scan.chunk_size = chunk_size;
  options.pipeline.scan.max_record_size = max_record;
  options.pipeline.scan.validate_all_lines |= options.pipeline.scan.strict;
  options.verbosity = quiet ? Verbosity::quiet : verbose ? Verbosity::verbose : Verbosity::normal;
  return {std::move(options), 0};
}

} // namespace usbexfil::cli
