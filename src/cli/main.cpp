// usbexfil: parse arguments, run the pipeline, write the findings, report on stderr.
// stdout carries findings only. Exit 0 on success, 1 for findings under --fail-on-findings,
// 2 on any error (docs/cli.md).
#include "cli/inspect_report.hpp"
#include "cli/options.hpp"
#include "cli/output_file.hpp"
#include "cli/output_format.hpp"
#include "cli/report.hpp"
#include "cli/test_command.hpp"
#include "load/huge_buffer.hpp"
#include "load/simd/level.hpp"
#include "usbexfil/check/expected_findings.hpp"
#include "usbexfil/error.hpp"
#include "usbexfil/output/writer.hpp"
#include "usbexfil/pipeline.hpp"

#include "usbexfil/text.hpp"

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include <chrono>
#include <exception>
#include <optional>

namespace {

/// stderr, one message a line, with control characters escaped (usbexfil::escape_terminal): a
/// file name holding ESC, BEL or a newline is shown, never obeyed, and cannot forge a line.
class TerminalSafeStderr final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
protected:
  void sink_it_(const spdlog::details::log_msg &msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    std::string_view text(formatted.data(), formatted.size());
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
      text.remove_suffix(1);
    }
    const std::string line = usbexfil::escape_terminal(text) + '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }
};

std::shared_ptr<spdlog::logger> make_logger(usbexfil::cli::Verbosity verbosity) {
  auto log = std::make_shared<spdlog::logger>("usbexfil", std::make_shared<TerminalSafeStderr>());
  log->set_pattern("usbexfil: %v");
  log->set_level(verbosity == usbexfil::cli::Verbosity::quiet ? spdlog::level::err
                                                              : spdlog::level::info);
  return log;
}

int run(const usbexfil::cli::RunOptions &options, spdlog::logger &log) {
  const auto start = std::chrono::steady_clock::now();
  usbexfil::cli::OutputTarget::check(options.output);
  // Read before the run: an --expect file that cannot be read fails before any work.
  std::optional<std::vector<usbexfil::ComparableFinding>> expected;
  if (!options.expect.empty()) {
    expected = usbexfil::read_expected_findings(options.expect);
  }
  const usbexfil::Inputs inputs = usbexfil::resolve_inputs(options.inputs);
  const usbexfil::PipelineResult result = usbexfil::run_pipeline(inputs, options.pipeline);
  usbexfil::cli::OutputTarget output(options.output);
  const usbexfil::RunSummary summary = usbexfil::cli::run_summary(options, result);
  usbexfil::write_findings(result.findings, usbexfil::cli::output_options(options, &summary),
                           [&](std::string_view piece) { output.write(piece); });
  output.commit();
  usbexfil::cli::report_diagnostics(log, result);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  usbexfil::cli::report_summary(log, result, options.pipeline.window, seconds,
                                options.verbosity == usbexfil::cli::Verbosity::verbose);
  int status = 0;
  if (expected) {
    const usbexfil::FindingsDiff diff = usbexfil::diff_findings(
        std::move(*expected), usbexfil::comparable_findings(result.findings));
    const std::vector<std::string> lines = usbexfil::format_diff(diff, options.expect);
    for (const std::string &line : lines) {
      if (diff.same()) {
        log.info("{}", line);
      } else {
        log.error("{}", line);
      }
    }
    status = diff.same() ? 0 : 1;
  }
  if (options.fail_on_findings && !result.findings.empty()) {
    log.error("{} finding{} (--fail-on-findings)", result.findings.size(),
              result.findings.size() == 1 ? "" : "s");
    status = 1;
  }
  return status;
}

/// `usbexfil inspect`: the report on stdout, warnings and data errors on stderr.
int inspect(const usbexfil::cli::RunOptions &options, spdlog::logger &log) {
  usbexfil::cli::OutputTarget::check(options.output);
  const usbexfil::Inputs inputs = usbexfil::resolve_inputs(options.inputs);
  const usbexfil::Inspection inspection = usbexfil::inspect_inputs(inputs, options.pipeline.scan);
  usbexfil::cli::OutputTarget output(options.output);
  output.write(usbexfil::cli::format_inspection(inspection));
  output.commit();
  for (const std::string &warning : inspection.warnings) {
    log.warn("warning: {}", warning);
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  const usbexfil::cli::Parsed parsed = usbexfil::cli::parse_arguments(argc, argv);
  if (!parsed.run) {
    return parsed.exit_code;
  }
  usbexfil::reserve_heap_on_huge_pages(std::size_t{8} << 20);
  auto log = make_logger(parsed.run->verbosity);
  if (!usbexfil::simd::active_note().empty()) {
    log->warn("warning: {}", usbexfil::simd::active_note());
  }
  try {
    if (parsed.run->command == usbexfil::cli::Command::test) {
      return usbexfil::cli::run_test_cases(*parsed.run, *log);
    }
    if (parsed.run->command == usbexfil::cli::Command::inspect) {
      return inspect(*parsed.run, *log);
    }
    return run(*parsed.run, *log);
  } catch (const usbexfil::Error &error) {
    log->error("error: {}", error.what());
  } catch (const std::exception &error) {
    log->error("error: {}", error.what());
  }
  return 2;
}
