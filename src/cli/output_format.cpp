#include "cli/output_format.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <cstdlib>
#include <string_view>

namespace usbexfil::cli {
namespace {

constexpr std::array<const char *, SOURCE_TABLE_COUNT> TABLE_OPTIONS{
    "--alerts", "--cloud-app-events", "--device-file-events", "--device-events"};

bool env_set(const char *name) {
  const char *value = std::getenv(name);
  return value != nullptr && *value != '\0';
}

std::size_t terminal_width(bool to_stdout) {
  if (const char *columns = std::getenv("COLUMNS"); columns != nullptr) {
    const std::string_view text(columns);
    std::size_t width = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), width);
    if (error == std::errc() && end == text.data() + text.size() && width > 0) {
      return width;
    }
  }
  winsize size{};
  if (to_stdout && ::isatty(STDOUT_FILENO) == 1 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 &&
      size.ws_col > 0) {
    return size.ws_col;
  }
  return 80;
}

} // namespace

RunSummary run_summary(const RunOptions &options, const PipelineResult &result) {
  RunSummary summary;
  for (const std::string &path : options.inputs.paths) {
    summary.inputs.push_back(path == "-" ? "- (standard input)" : path);
  }
  for (std::size_t t = 0; t < SOURCE_TABLE_COUNT; ++t) {
    for (const std::string &path : options.inputs.tables[t]) {
      summary.inputs.push_back(std::string(TABLE_OPTIONS[t]) + " " + path);
    }
  }
  summary.window = options.pipeline.window;
  summary.tables = result.tables;
  return summary;
}

OutputOptions output_options(const RunOptions &options, const RunSummary *summary) {
  OutputOptions out;
  out.format = options.format;
  out.sentinel_strings = options.sentinel_strings;
  out.enrich = options.pipeline.enrich;
  out.csv_bom = options.csv_bom;
  const bool to_stdout = options.output.empty();
  if (out.format == OutputFormat::table) {
    const char *term = std::getenv("TERM");
    out.color = to_stdout && ::isatty(STDOUT_FILENO) == 1 && !env_set("NO_COLOR") &&
                !(term != nullptr && std::string_view(term) == "dumb");
    out.width = terminal_width(to_stdout);
  }
  out.summary = summary;
  return out;
}

} // namespace usbexfil::cli
