// Findings as JSON (findings.md): keys in the rule's order, datetimes with seven fractional
// digits and "Z", sets sorted by bytes. JSON lines is the default output format; the JSON array
// and CSV formats (writer.hpp) reuse these pieces.
#pragma once

#include "usbexfil/finding.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace usbexfil {

/// How the three `_Details` columns are written.
enum class DetailsStyle {
  objects,          ///< nested JSON objects (the default)
  sentinel_strings, ///< JSON strings holding the compact JSON, as Sentinel's `tostring()` gives
};

/// Appends one finding as a single-line JSON object (no line end).
void append_finding(std::string &out, const Finding &finding,
                    DetailsStyle style = DetailsStyle::objects);

/// One finding as a single-line JSON object (no line end), `_Details` as objects.
std::string format_finding(const Finding &finding);

/// Appends a `_Details` bag as a compact JSON object.
void append_downloads_details(std::string &out, const DownloadSummary &downloads);
void append_copies_details(std::string &out, const FileCopySummary &copies);
void append_usb_details(std::string &out, const UsbMount &mount);

/// Appends a finding's `--enrich` object (docs/cli.md, "Enrichment") as compact JSON.
void append_enrichment(std::string &out, const Enrichment &enrichment);
/// Appends a set as a compact JSON array of strings.
void append_json_set(std::string &out, const StringSet &values);

/// Receives the output in consecutive pieces.
using OutputSink = std::function<void(std::string_view)>;

/// The findings, in the order given (`sort_findings` has run), one per line, handed to `sink` in
/// pieces of about 64 KiB: the output is never held whole in memory.
void write_json_lines(const FindingTable &findings, const OutputSink &sink,
                      DetailsStyle style = DetailsStyle::objects);

/// The same lines as one string.
std::string render_json_lines(const FindingTable &findings,
                              DetailsStyle style = DetailsStyle::objects);

} // namespace usbexfil
