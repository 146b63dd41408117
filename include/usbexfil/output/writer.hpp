// The output formats (docs/cli.md, "Output formats"): one writer per format behind one interface.
// Every writer reads the same findings, sorted once by `sort_findings` (findings.md, "Order of
// findings"), and hands its text to an OutputSink in pieces, so that the caller decides where
// the bytes go (stdout, or -o's temporary file) and the output is never held whole in memory.
#pragma once

#include "usbexfil/finding.hpp"
#include "usbexfil/load/scan.hpp"
#include "usbexfil/output/json_lines_writer.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace usbexfil {

/// `--format`.
enum class OutputFormat { jsonl, json, csv, table, html };

/// The format named `name` (`jsonl`, `json`, `csv`, `table`, `html`), or nothing.
std::optional<OutputFormat> parse_output_format(std::string_view name);

/// The name `parse_output_format` reads.
std::string_view output_format_name(OutputFormat format);

/// What the HTML report's summary shows about the run; the other formats ignore it.
struct RunSummary {
  std::vector<std::string> inputs; ///< the inputs as given (`PATH`, `--alerts P`, ...)
  TimeWindow window;               ///< --from / --to
  std::vector<LoadStats> tables;   ///< per source table, in load order
};

/// How to write.
struct OutputOptions {
  OutputFormat format = OutputFormat::jsonl;
  /// jsonl, json: the `_Details` columns as the JSON text Sentinel's `tostring()` gives (a JSON
  /// string holding compact JSON) instead of nested objects. CSV always writes them so.
  bool sentinel_strings = false;
  bool csv_bom = false;                ///< csv: start with a UTF-8 byte-order mark (for Excel)
  bool enrich = false;                 ///< csv: an 18th column, Enrichment (--enrich)
  bool color = false;                  ///< table: ANSI colours (the caller decides: TTY, NO_COLOR)
  std::size_t width = 80;              ///< table: the terminal's width in columns
  const RunSummary *summary = nullptr; ///< html: the run, for the summary (none: no summary)
};

/// Writes sorted findings in one format.
class FindingsWriter {
public:
  virtual ~FindingsWriter() = default;
  /// Writes all of `findings` (in the order given: `sort_findings` has run) to `sink`, in
  /// pieces of about 64 KiB; for no findings, the format's empty document.
  virtual void write(const FindingTable &findings, const OutputSink &sink) const = 0;
};

/// The writer for `options.format`. The options are copied; `summary` must outlive the writer.
std::unique_ptr<FindingsWriter> make_findings_writer(const OutputOptions &options);

/// make_findings_writer(options)->write(findings, sink).
void write_findings(const FindingTable &findings, const OutputOptions &options,
                    const OutputSink &sink);

/// The same output as one string.
std::string render_findings(const FindingTable &findings, const OutputOptions &options);

} // namespace usbexfil
