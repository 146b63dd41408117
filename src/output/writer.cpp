// make_findings_writer: the format's writer. JSON lines and the JSON array live here; the others
// in csv_writer.cpp, table_writer.cpp and html_writer.cpp.
#include "usbexfil/output/writer.hpp"

#include "output/piece_buffer.hpp"
#include "output/writers.hpp"

#include <array>
#include <utility>

namespace usbexfil {
namespace {

constexpr std::array<std::pair<std::string_view, OutputFormat>, 5> FORMAT_NAMES{{
    {"jsonl", OutputFormat::jsonl},
    {"json", OutputFormat::json},
    {"csv", OutputFormat::csv},
    {"table", OutputFormat::table},
    {"html", OutputFormat::html},
}};

DetailsStyle details_style(const OutputOptions &options) {
  return options.sentinel_strings ? DetailsStyle::sentinel_strings : DetailsStyle::objects;
}

/// One JSON object per line (findings.md), the default.
class JsonLinesWriter final : public FindingsWriter {
public:
  explicit JsonLinesWriter(DetailsStyle style) : style_(style) {}
  void write(const FindingTable &findings, const OutputSink &sink) const override {
    write_json_lines(findings, sink, style_);
  }

private:
  DetailsStyle style_;
};

/// One JSON array holding the same objects as JSON lines, one element a line:
/// `[\n{...},\n{...}\n]\n`; `[]\n` for no findings.
class JsonArrayWriter final : public FindingsWriter {
public:
  explicit JsonArrayWriter(DetailsStyle style) : style_(style) {}
  void write(const FindingTable &findings, const OutputSink &sink) const override {
    output::PieceBuffer buffer(sink);
    if (findings.empty()) {
      buffer.text += "[]\n";
    } else {
      buffer.text += "[\n";
      for (std::size_t i = 0; i < findings.size(); ++i) {
        append_finding(buffer.text, findings[i], style_);
        buffer.text += i + 1 < findings.size() ? ",\n" : "\n";
        buffer.flush_if_full();
      }
      buffer.text += "]\n";
    }
    buffer.finish();
  }

private:
  DetailsStyle style_;
};

} // namespace

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  for (const auto &[text, format] : FORMAT_NAMES) {
    if (text == name) {
      return format;
    }
  }
  return std::nullopt;
}

std::string_view output_format_name(OutputFormat format) {
  for (const auto &[text, value] : FORMAT_NAMES) {
    if (value == format) {
      return text;
    }
  }
  return "jsonl";
}

std::unique_ptr<FindingsWriter> make_findings_writer(const OutputOptions &options) {
  switch (options.format) {
  case OutputFormat::json:
    return std::make_unique<JsonArrayWriter>(details_style(options));
  case OutputFormat::csv:
    return output::make_csv_writer(options);
  case OutputFormat::table:
    return output::make_table_writer(options);
  case OutputFormat::html:
    return output::make_html_writer(options);
  case OutputFormat::jsonl:
    break;
  }
  return std::make_unique<JsonLinesWriter>(details_style(options));
}

void write_findings(const FindingTable &findings, const OutputOptions &options,
                    const OutputSink &sink) {
  make_findings_writer(options)->write(findings, sink);
}

std::string render_findings(const FindingTable &findings, const OutputOptions &options) {
  std::string out;
  write_findings(findings, options, [&](std::string_view piece) { out += piece; });
  return out;
}

namespace output {

std::string short_datetime(Datetime value) {
  if (value.is_null()) {
    return "none";
  }
  std::string text = format_datetime(value); // YYYY-MM-DDTHH:MM:SS.fffffffZ
  text[10] = ' ';
  text.resize(19);
  return text;
}

std::string short_window(Datetime from, Datetime to) {
  std::string first = short_datetime(from);
  std::string second = short_datetime(to);
  if (!from.is_null() && !to.is_null() && first.compare(0, 10, second, 0, 10) == 0) {
    second.erase(0, 11);
  }
  return first + " .. " + second;
}

} // namespace output
} // namespace usbexfil
