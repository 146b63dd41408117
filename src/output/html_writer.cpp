// The HTML report: one self-contained file (inline CSS, an optional inline script, inline SVG;
// a Content-Security-Policy that forbids every fetch), with a summary of the run and, per
// finding, its timeline drawn to scale (download span, alert, copy span, USB mount), the matched
// files, the three detail bags and the other columns. Every text from the data is HTML-escaped
// (control characters shown as escape_terminal shows them). Deterministic: the same findings
// and summary give the same bytes (no clock, no version), so golden files can hold it.
#include "output/piece_buffer.hpp"
#include "output/writers.hpp"
#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace usbexfil::output {
namespace {

constexpr std::string_view HEAD = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="usbexfil">
)";

constexpr std::string_view STYLE = R"(<style>
:root { --dl: #2b6cb0; --alert: #c53030; --copy: #c05621; --usb: #2f855a; --rule: #cbd5e0;
        --muted: #4a5568; --bg: #f7fafc; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a202c;
       margin: 0 auto; max-width: 1100px; padding: 16px 24px; }
h1 { font-size: 22px; margin: 8px 0 2px; }
h2 { font-size: 18px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 12px 0 4px; color: var(--muted); }
.sub { color: var(--muted); margin: 0 0 16px; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
              font-size: 12.5px; overflow-wrap: anywhere; }
section { border: 1px solid var(--rule); border-radius: 6px; padding: 12px 16px; margin: 0 0 16px;
          background: #fff; }
section.summary { background: var(--bg); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 3px 8px; border-bottom: 1px solid #edf2f7; }
th { color: var(--muted); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.kv th { width: 34%; font-weight: normal; }
code.hash { word-break: break-all; }
ul.files { margin: 0; padding-left: 18px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 24px; }
svg.timeline { width: 100%; height: auto; display: block; }
svg text { font: 12px system-ui, sans-serif; fill: #1a202c; }
svg .axis { stroke: #718096; } svg .grid { stroke: #e2e8f0; }
svg .dl { fill: var(--dl); } svg .copy { fill: var(--copy); }
svg .alert { stroke: var(--alert); fill: var(--alert); } svg .usb { stroke: var(--usb); fill: var(--usb); }
svg .mark { stroke-width: 1.5; stroke-dasharray: 4 3; fill: none; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 18px; color: var(--muted); margin: 4px 0 0; }
.key { display: inline-block; width: 10px; height: 10px; margin-right: 5px; border-radius: 2px; }
.none { color: var(--muted); font-style: italic; }
nav { margin: 0 0 16px; }
nav ol { margin: 0; padding-left: 22px; }
footer { color: var(--muted); font-size: 12px; margin: 24px 0 8px; }
@media (max-width: 760px) { .grid { grid-template-columns: 1fr; } }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  section { break-inside: avoid; page-break-inside: avoid; border-color: #a0aec0; }
  nav { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
</style>
)";

// The optional script: the report reads the same without it. It marks the document once it ran
// (the browser test looks for the mark, so a script error fails the test) and adds nothing else.
constexpr std::string_view SCRIPT = R"(<script>
(function () {
  var n = document.querySelectorAll("section.finding").length;
  document.documentElement.setAttribute("data-report-script", "ok " + n);
})();
</script>
)";

/// Appends `text` HTML-escaped, control characters shown as escape_terminal shows them.
void append_html(std::string &out, std::string_view text) { append_html_escaped(out, text); }

std::string html(std::string_view text) {
  std::string out;
  append_html(out, text);
  return out;
}

std::string full_time(Datetime value) {
  return value.is_null() ? std::string("null") : format_datetime(value);
}

// ---- the timeline ------------------------------------------------------------------------

constexpr double SVG_WIDTH = 960;
constexpr double PLOT_LEFT = 100;
constexpr double PLOT_RIGHT = 940;
constexpr double LANE_Y[4] = {28, 58, 88, 118}; // downloads, alert, copies, USB mount
constexpr double AXIS_Y = 140;
constexpr double SVG_HEIGHT = 172;

/// Maps datetimes onto the plot's x range; the range is the finding's times, padded.
class TimeScale {
public:
  explicit TimeScale(const Finding &f) {
    for (Datetime t : {f.downloads.start_time, f.downloads.end_time, f.alert_time,
                       f.copies.start_time, f.copies.end_time, f.usb_time}) {
      if (!t.is_null()) {
        lo_ = any_ ? std::min(lo_, t.ticks()) : t.ticks();
        hi_ = any_ ? std::max(hi_, t.ticks()) : t.ticks();
        any_ = true;
      }
    }
    const std::int64_t pad =
        hi_ == lo_ ? 60 * TICKS_PER_SECOND : std::max<std::int64_t>((hi_ - lo_) / 25, 1);
    lo_ -= pad;
    hi_ += pad;
  }
  bool any() const { return any_; }
  std::int64_t lo() const { return lo_; }
  std::int64_t hi() const { return hi_; }
  double x(Datetime t) const { return x(t.ticks()); }
  double x(std::int64_t ticks) const {
    return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * static_cast<double>(ticks - lo_) /
                           static_cast<double>(hi_ - lo_);
  }

private:
  bool any_ = false;
  std::int64_t lo_ = 0;
  std::int64_t hi_ = 0;
};

/// A tick's label: the time of day, with the date when the range spans days.
std::string tick_label(std::int64_t ticks, bool with_date) {
  const std::string text = format_datetime(Datetime::from_ticks(ticks));
  return with_date ? text.substr(5, 5) + " " + text.substr(11, 5) : text.substr(11, 8);
}

void lane_label(std::string &out, int lane, std::string_view text) {
  fmt::format_to(std::back_inserter(out), "<text x=\"8\" y=\"{:.1f}\">{}</text>\n",
                 LANE_Y[lane] + 4, text);
}

void span(std::string &out, const TimeScale &scale, int lane, std::string_view css, Datetime from,
          Datetime to, std::string_view title) {
  if (from.is_null() || to.is_null()) {
    fmt::format_to(std::back_inserter(out),
                   "<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"none\">no time</text>\n", PLOT_LEFT,
                   LANE_Y[lane] + 4);
    return;
  }
  const double x0 = scale.x(from);
  const double width = std::max(scale.x(to) - x0, 3.0);
  fmt::format_to(std::back_inserter(out),
                 "<rect class=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"16\" "
                 "rx=\"3\"><title>{}</title></rect>\n",
                 css, x0, LANE_Y[lane] - 8, width, title);
}

void mark(std::string &out, const TimeScale &scale, int lane, std::string_view css, Datetime at,
          std::string_view title) {
  if (at.is_null()) {
    fmt::format_to(std::back_inserter(out),
                   "<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"none\">no time</text>\n", PLOT_LEFT,
                   LANE_Y[lane] + 4);
    return;
  }
  const double x = scale.x(at);
  const double y = LANE_Y[lane];
  fmt::format_to(std::back_inserter(out),
                 "<line class=\"{0} mark\" x1=\"{1:.1f}\" y1=\"14\" x2=\"{1:.1f}\" "
                 "y2=\"{2:.1f}\"/>\n"
                 "<path class=\"{0}\" d=\"M{1:.1f} {3:.1f}l7 7l-7 7l-7 -7z\"><title>{4}</title>"
                 "</path>\n",
                 css, x, AXIS_Y, y - 7, title);
}

void timeline(std::string &out, const Finding &f) {
  const TimeScale scale(f);
  if (!scale.any()) {
    out += "<p class=\"none\">No times to draw: every datetime of this finding is null.</p>\n";
    return;
  }
  fmt::format_to(std::back_inserter(out),
                 "<svg class=\"timeline\" viewBox=\"0 0 {} {}\" role=\"img\" "
                 "aria-label=\"Timeline: downloads, alert, copies and USB mount\">\n",
                 SVG_WIDTH, SVG_HEIGHT);
  const bool with_date = scale.hi() - scale.lo() > std::int64_t{24} * 3600 * TICKS_PER_SECOND ||
                         format_datetime(Datetime::from_ticks(scale.lo())).substr(0, 10) !=
                             format_datetime(Datetime::from_ticks(scale.hi())).substr(0, 10);
  constexpr int TICKS = 5;
  for (int i = 0; i <= TICKS; ++i) {
    const std::int64_t t = scale.lo() + (scale.hi() - scale.lo()) / TICKS * i;
    const double x = scale.x(t);
    fmt::format_to(std::back_inserter(out),
                   "<line class=\"grid\" x1=\"{0:.1f}\" y1=\"14\" x2=\"{0:.1f}\" y2=\"{1:.1f}\"/>"
                   "<text x=\"{0:.1f}\" y=\"{2:.1f}\" text-anchor=\"{4}\">{3}</text>\n",
                   x, AXIS_Y, AXIS_Y + 18, tick_label(t, with_date), i == TICKS ? "end" : "middle");
  }
  fmt::format_to(std::back_inserter(out),
                 "<line class=\"axis\" x1=\"{0:.1f}\" y1=\"{2:.1f}\" x2=\"{1:.1f}\" "
                 "y2=\"{2:.1f}\"/>\n",
                 PLOT_LEFT, PLOT_RIGHT, AXIS_Y);
  lane_label(out, 0, "Downloads");
  lane_label(out, 1, "Alert");
  lane_label(out, 2, "Copies");
  lane_label(out, 3, "USB mount");
  span(
      out, scale, 0, "dl", f.downloads.start_time, f.downloads.end_time,
      html(fmt::format("Downloads {} .. {}, {}", full_time(f.downloads.start_time),
                       full_time(f.downloads.end_time), plural(f.downloads.files.size(), "file"))));
  mark(out, scale, 1, "alert", f.alert_time, html("Alert " + full_time(f.alert_time)));
  span(out, scale, 2, "copy", f.copies.start_time, f.copies.end_time,
       html(fmt::format("Copies {} .. {}, {}", full_time(f.copies.start_time),
                        full_time(f.copies.end_time), plural(f.copies.files.size(), "file"))));
  mark(out, scale, 3, "usb", f.usb_time,
       html(fmt::format("USB mount {}, drive {}", full_time(f.usb_time), f.mount.drive_letter)));
  out += "</svg>\n";
}

// ---- tables of values ---------------------------------------------------------------------

void kv_string(std::string &out, std::string_view key, std::string_view value) {
  out += "<tr><th>";
  out += key;
  out += "</th><td><code>";
  append_html(out, value);
  out += "</code></td></tr>\n";
}

void kv_time(std::string &out, std::string_view key, Datetime value) {
  const std::string text = value.is_null() ? std::string() : format_datetime(value);
  kv_string(out, key, text);
}

void kv_count(std::string &out, std::string_view key, std::size_t value) {
  fmt::format_to(std::back_inserter(out), "<tr><th>{}</th><td>{}</td></tr>\n", key, value);
}

void file_list(std::string &out, const StringSet &files) {
  if (files.empty()) {
    out += "<span class=\"none\">none</span>";
    return;
  }
  out += "<ul class=\"files\">";
  for (std::string_view file : files) {
    out += "<li><code>";
    append_html(out, file);
    out += "</code></li>";
  }
  out += "</ul>";
}

void kv_set(std::string &out, std::string_view key, const StringSet &files) {
  out += "<tr><th>";
  out += key;
  out += "</th><td>";
  file_list(out, files);
  out += "</td></tr>\n";
}

void bag_downloads(std::string &out, const DownloadSummary &d) {
  out += "<h3>CloudAppEvents_Details</h3>\n<table class=\"kv\">\n";
  kv_string(out, "Application", d.application);
  kv_string(out, "AccountObjectId", d.account_object_id);
  kv_string(out, "UserId", d.user_id);
  kv_string(out, "IPAddress", d.ip_address);
  kv_string(out, "City", d.city);
  kv_string(out, "CountryCode", d.country_code);
  kv_time(out, "CloudAppEvent_StartTime", d.start_time);
  kv_time(out, "CloudAppEvent_EndTime", d.end_time);
  kv_set(out, "CloudAppEvent_Files", d.files);
  kv_count(out, "FileCount", d.files.size());
  out += "</table>\n";
}

void bag_copies(std::string &out, const FileCopySummary &c) {
  out += "<h3>DeviceFileEvents_Details</h3>\n<table class=\"kv\">\n";
  kv_string(out, "InitiatingProcessAccountUpn", c.initiating_process_account_upn);
  kv_string(out, "DeviceId", c.device_id);
  kv_string(out, "DeviceName", c.device_name);
  kv_string(out, "InitiatingProcessFolderPath", c.initiating_process_folder_path);
  kv_string(out, "InitiatingProcessParentFileName", c.initiating_process_parent_file_name);
  kv_time(out, "DeviceFileEvent_StartTime", c.start_time);
  kv_time(out, "DeviceFileEvent_EndTime", c.end_time);
  kv_set(out, "DeviceFileEvent_Files", c.files);
  kv_count(out, "DeviceFileEvent_FileCount", c.files.size());
  out += "</table>\n";
}

void bag_usb(std::string &out, const UsbMount &m) {
  out += "<h3>USB_Details</h3>\n<table class=\"kv\">\n";
  kv_time(out, "USB_TimeGenerated", m.time);
  kv_string(out, "DeviceId", m.device_id);
  kv_string(out, "USB_DriveLetter", m.drive_letter);
  kv_string(out, "USB_ProductName", m.product_name);
  kv_string(out, "USB_Volume", m.volume);
  out += "</table>\n";
}

void enrichment_section(std::string &out, const Enrichment &e) {
  out += "<h3>Enrichment</h3>\n<table class=\"kv enrichment\">\n";
  kv_string(out, "FindingId", e.finding_id);
  kv_set(out, "SystemAlertIds", e.system_alert_ids);
  for (const UsbDrive &d : e.usb_drives) {
    kv_string(out, "SerialNumber", d.serial_number);
    kv_string(out, "Manufacturer", d.manufacturer);
    kv_string(out, "ProductName", d.product_name);
    kv_string(out, "ProductRevision", d.product_revision);
    kv_string(out, "BusType", d.bus_type);
  }
  out += "</table>\n<h3>Copies of the matched files</h3>\n<table class=\"copies\">\n"
         "<thead><tr><th>File</th><th>TimeGenerated</th><th>ActionType</th><th>FileSize</th>"
         "<th>SHA256</th></tr></thead>\n<tbody>\n";
  for (const MatchedFileCopies &file : e.matched_files) {
    for (const FileCopyEvent &copy : file.copies) {
      out += "<tr><td><code>";
      append_html(out, file.folder_path);
      out += "</code></td><td><code>";
      append_html(out, copy.time.is_null() ? std::string() : format_datetime(copy.time));
      out += "</code></td><td>";
      append_html(out, copy.action_type);
      out += "</td><td class=\"n\">";
      append_html(out, copy.file_size);
      out += "</td><td><code class=\"hash\">";
      append_html(out, copy.sha256);
      out += "</code></td></tr>\n";
    }
  }
  out += "</tbody></table>\n";
}

void finding_section(std::string &out, const Finding &f, std::size_t n) {
  fmt::format_to(std::back_inserter(out), "<section class=\"finding\" id=\"finding-{}\">\n", n);
  fmt::format_to(std::back_inserter(out),
                 "<h2>{}. <span class=\"user\">{}</span> on "
                 "<span class=\"device\">{}</span></h2>\n",
                 n, html(f.user_id), html(f.device_name));
  timeline(out, f);
  out += "<p class=\"legend\">";
  fmt::format_to(std::back_inserter(out),
                 "<span><i class=\"key\" style=\"background:var(--dl)\"></i>Downloads {}, {}"
                 "</span>",
                 html(short_window(f.downloads.start_time, f.downloads.end_time)),
                 plural(f.downloads.files.size(), "file"));
  fmt::format_to(std::back_inserter(out),
                 "<span><i class=\"key\" style=\"background:var(--alert)\"></i>Alert {}</span>",
                 html(short_datetime(f.alert_time)));
  fmt::format_to(std::back_inserter(out),
                 "<span><i class=\"key\" style=\"background:var(--copy)\"></i>Copies {}, {}"
                 "</span>",
                 html(short_window(f.copies.start_time, f.copies.end_time)),
                 plural(f.copies.files.size(), "file"));
  fmt::format_to(std::back_inserter(out),
                 "<span><i class=\"key\" style=\"background:var(--usb)\"></i>USB mount {}, "
                 "drive {}</span>",
                 html(short_datetime(f.usb_time)), html(f.mount.drive_letter));
  out += "</p>\n<div class=\"grid\">\n<div>\n";
  fmt::format_to(std::back_inserter(out), "<h3>USB_Drive_MatchedFiles ({})</h3>\n",
                 f.matched_files.size());
  file_list(out, f.matched_files);
  out += "\n<h3>Columns</h3>\n<table class=\"kv\">\n";
  kv_time(out, "Alert_TimeGenerated", f.alert_time);
  kv_time(out, "USB_TimeGenerated", f.usb_time);
  kv_string(out, "UserId", f.user_id);
  kv_string(out, "AADUserId", f.aad_user_id);
  kv_string(out, "DeviceId", f.device_id);
  kv_string(out, "DeviceName", f.device_name);
  kv_string(out, "IPAddress", f.ip_address);
  kv_string(out, "InitiatingProcessFileName", f.initiating_process_file_name);
  kv_string(out, "InitiatingProcessFolderPath", f.initiating_process_folder_path);
  kv_string(out, "HostName", f.host_name);
  kv_string(out, "HostNameDomain", f.host_name_domain);
  kv_string(out, "AccountName", f.account_name);
  kv_string(out, "AccountUPNSuffix", f.account_upn_suffix);
  out += "</table>\n";
  bag_usb(out, f.mount);
  if (f.enrichment) {
    enrichment_section(out, *f.enrichment);
  }
  out += "</div>\n<div>\n";
  bag_downloads(out, f.downloads);
  bag_copies(out, f.copies);
  out += "</div>\n</div>\n</section>\n";
}

void summary_section(std::string &out, const RunSummary &s, std::size_t findings) {
  out += "<section class=\"summary\" id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"facts\">\n";
  fmt::format_to(std::back_inserter(out), "<dt>Findings</dt><dd id=\"finding-count\">{}</dd>\n",
                 findings);
  out += "<dt>Window</dt><dd>";
  if (s.window.is_open()) {
    out += "all rows (no --from, no --to)";
  } else {
    out += "TimeGenerated in [<code>";
    out += s.window.from.is_null() ? "any" : format_datetime(s.window.from);
    out += "</code>, <code>";
    out += s.window.to.is_null() ? "any" : format_datetime(s.window.to);
    out += "</code>)";
  }
  out += "</dd>\n<dt>Inputs</dt><dd>";
  for (std::size_t i = 0; i < s.inputs.size(); ++i) {
    out += i > 0 ? "<br><code>" : "<code>";
    append_html(out, s.inputs[i]);
    out += "</code>";
  }
  out += "</dd>\n</dl>\n";
  out += "<h3>Tables</h3>\n<table class=\"tables\">\n<thead><tr><th>Table</th>"
         "<th class=\"n\">Files</th><th class=\"n\">Size</th><th class=\"n\">Rows read</th>"
         "<th class=\"n\">Skipped</th><th class=\"n\">Used by the rule</th></tr></thead>\n"
         "<tbody>\n";
  for (const LoadStats &t : s.tables) {
    if (!t.scanned) {
      fmt::format_to(std::back_inserter(out),
                     "<tr><td>{}</td><td class=\"n\">{}</td><td colspan=\"4\" class=\"none\">not "
                     "read: no earlier stage left anything to join it to</td></tr>\n",
                     html(t.table), t.files);
      continue;
    }
    fmt::format_to(std::back_inserter(out),
                   "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                   "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                   html(t.table), t.files, human_bytes(t.bytes), t.rows_read, t.rows_skipped,
                   t.rows_kept);
  }
  out += "</tbody>\n</table>\n</section>\n";
}

class HtmlWriter final : public FindingsWriter {
public:
  explicit HtmlWriter(const RunSummary *summary) : summary_(summary) {}

  void write(const FindingTable &findings, const OutputSink &sink) const override {
    PieceBuffer buffer(sink);
    std::string &out = buffer.text;
    out += HEAD;
    fmt::format_to(std::back_inserter(out), "<title>usbexfil report: {}</title>\n",
                   plural(findings.size(), "finding"));
    out += STYLE;
    out += "</head>\n<body>\n<header>\n<h1>Mass Download &amp; copy to USB device by single "
           "user</h1>\n<p class=\"sub\">The Microsoft Sentinel analytic rule, run offline by "
           "usbexfil over exported tables. Times are UTC.</p>\n</header>\n";
    if (summary_ != nullptr) {
      summary_section(out, *summary_, findings.size());
    }
    if (findings.empty()) {
      out += "<section class=\"finding-none\"><h2>No findings</h2><p>The rule found no chain "
             "of mass download, copy and USB mount in these inputs.</p></section>\n";
    } else {
      out += "<nav><h3>Findings</h3><ol>\n";
      for (std::size_t i = 0; i < findings.size(); ++i) {
        fmt::format_to(std::back_inserter(out),
                       "<li><a href=\"#finding-{}\">{} on {}, alert {}</a></li>\n", i + 1,
                       html(findings[i].user_id), html(findings[i].device_name),
                       html(short_datetime(findings[i].alert_time)));
        buffer.flush_if_full();
      }
      out += "</ol></nav>\n";
    }
    buffer.flush_if_full();
    for (std::size_t i = 0; i < findings.size(); ++i) {
      finding_section(out, findings[i], i + 1);
      buffer.flush_if_full();
    }
    out += "<footer>Written by usbexfil. This file is self-contained: it loads nothing from the "
           "network or the disk.</footer>\n";
    out += SCRIPT;
    out += "</body>\n</html>\n";
    buffer.finish();
  }

private:
  const RunSummary *summary_;
};

} // namespace

std::unique_ptr<FindingsWriter> make_html_writer(const OutputOptions &options) {
  return std::make_unique<HtmlWriter>(options.summary);
}

} // namespace usbexfil::output
