#include "cli/options.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <thread>

namespace usbexfil::cli {
namespace {

constexpr const char *RUN_EXAMPLES = R"(
Examples:
  usbexfil run export/                      findings as JSON lines on stdout
  usbexfil run export/ -o findings.jsonl    write a file (replaced only on success)
  usbexfil run export/ --from 2026-03-10 --to 2026-03-11
                                            only rows with TimeGenerated in that day
  usbexfil run export/ --strict -q          fail (exit 2) on the first malformed line
  usbexfil run export/ | jq -r .UserId      one user per finding

DIR holds the tables' exports as JSON lines; a file belongs to a table when its name starts
with SecurityAlert, CloudAppEvents, DeviceFileEvents or DeviceEvents (any case).
Exit status: 0 success (with or without findings), 2 usage error, unreadable input, write
failure, or a malformed line under --strict.)";

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

} // namespace

Parsed parse_arguments(int argc, char **argv) {
  CLI::App app{"usbexfil: the Sentinel rule \"Mass Download & copy to USB device by single "
               "user\", run offline over exported JSON-lines tables.",
               "usbexfil"};
  app.set_version_flag("--version", "usbexfil " USBEXFIL_VERSION);
  app.require_subcommand(1);
  CLI::App *run = app.add_subcommand("run", "Run the rule over the tables' files in DIR");
  run->footer(RUN_EXAMPLES);

  RunOptions options;
  std::string from;
  std::string to;
  bool quiet = false;
  bool verbose = false;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::size_t chunk_size = options.pipeline.scan.chunk_size;
  run->add_option("DIR", options.dir, "Directory with the tables' exports")->required();
  run->add_option("-o,--output", options.output,
                  "Write findings to FILE (via a temporary file, renamed on success)");
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
  run->add_flag("--validate-all", options.pipeline.scan.validate_all_lines,
                "Parse and report every malformed line, also lines that cannot match");
  auto *quiet_flag = run->add_flag("-q,--quiet", quiet, "Print errors only on stderr");
  run->add_flag("-v,--verbose", verbose, "Also print per-stage statistics")->excludes(quiet_flag);

  try {
    app.parse(argc, argv);
    if (!from.empty()) {
      options.pipeline.window.from = parse_bound(from, "--from");
    }
    if (!to.empty()) {
      options.pipeline.window.to = parse_bound(to, "--to");
    }
  } catch (const CLI::ParseError &error) {
    const int code = app.exit(error);
    return {std::nullopt, code == 0 ? 0 : 2};
  }
  options.pipeline.scan.threads = threads;
  options.pipeline.scan.chunk_size = chunk_size;
  options.pipeline.scan.validate_all_lines |= options.pipeline.scan.strict;
  options.verbosity = quiet ? Verbosity::quiet : verbose ? Verbosity::verbose : Verbosity::normal;
  return {std::move(options), 0};
}

} // namespace usbexfil::cli
