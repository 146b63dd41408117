// usbexfil: parse arguments, run the pipeline, write the findings, report on stderr.
// stdout carries findings only. Exit 0 on success, 1 for findings under --fail-on-findings,
// 2 on any error (docs/cli.md).
#include "cli/explain_command.hpp"
#include "cli/inspect_report.hpp"
#include "cli/nightly.hpp"
#include "cli/options.hpp"
#include "cli/output_file.hpp"
#include "cli/output_format.hpp"
#include "cli/progress.hpp"
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
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include <chrono>
#include <exception>
#include <filesystem>
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

/// A sink that escapes control characters in each message (as TerminalSafeStderr does) before
/// handing it to another sink: a log file cannot be forged either. The messages carry their
/// level in their text for stderr ("warning: ..."); the file's pattern shows the level itself,
/// so that prefix is dropped here, or the file would say "warning: warning: ...".
class EscapingSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
public:
  explicit EscapingSink(std::shared_ptr<spdlog::sinks::sink> inner) : inner_(std::move(inner)) {}

protected:
  void sink_it_(const spdlog::details::log_msg &msg) override {
    std::string_view payload(msg.payload.data(), msg.payload.size());
    const spdlog::string_view_t level = spdlog::level::to_string_view(msg.level);
    const std::string prefix = std::string(level.data(), level.size()) + ": ";
    if (payload.starts_with(prefix)) {
      payload.remove_prefix(prefix.size());
    }
    const std::string text = usbexfil::escape_terminal(payload);
    const spdlog::details::log_msg escaped(msg.time, msg.source, msg.logger_name, msg.level, text);
    inner_->log(escaped);
  }
  void flush_() override { inner_->flush(); }

private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
};

/// Bytes a --log-file grows to before it is rotated (FILE.1, FILE.2, FILE.3 are kept).
constexpr std::size_t LOG_FILE_SIZE = std::size_t{10} << 20;
constexpr std::size_t LOG_FILES_KEPT = 3;

/// The messages go to stderr (errors only under -q) and, with `log_file`, appended to it with a
/// UTC timestamp and the process id, whatever -q says (size-rotated).
std::shared_ptr<spdlog::logger> make_logger(usbexfil::cli::Verbosity verbosity,
                                            const std::string &log_file) {
  auto terminal = std::make_shared<TerminalSafeStderr>();
  terminal->set_pattern("usbexfil: %v");
  terminal->set_level(verbosity == usbexfil::cli::Verbosity::quiet ? spdlog::level::err
                                                                   : spdlog::level::info);
  auto log = std::make_shared<spdlog::logger>("usbexfil", terminal);
  if (!log_file.empty()) {
    auto file = std::make_shared<spdlog::sinks::rotating_file_sink_st>(log_file, LOG_FILE_SIZE,
                                                                       LOG_FILES_KEPT);
    file->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%fZ [%P] %l: %v", spdlog::pattern_time_type::utc));
    auto escaping = std::make_shared<EscapingSink>(std::move(file));
    escaping->set_level(spdlog::level::info);
    log->sinks().push_back(std::move(escaping));
  }
  log->set_level(spdlog::level::info);
  log->flush_on(spdlog::level::info);
  return log;
}

/// The findings file's extension for a format, under --output-dir.
std::string_view extension(usbexfil::OutputFormat format) {
  switch (format) {
  case usbexfil::OutputFormat::jsonl:
    return ".jsonl";
  case usbexfil::OutputFormat::json:
    return ".json";
  case usbexfil::OutputFormat::csv:
    return ".csv";
  case usbexfil::OutputFormat::table:
    return ".txt";
  case usbexfil::OutputFormat::html:
    return ".html";
  }
  return ".out";
}

/// Writes `text` to `path` atomically (OutputTarget: a temporary file renamed on success).
void write_file(const std::string &path, const std::string &text) {
  usbexfil::cli::OutputTarget target(path);
  target.write(text);
  target.commit();
}

/// The rule over the inputs: findings written, the summary on stderr. Sets `record`'s inputs,
/// result and findings file as they come, for the run file.
int run_rule(const usbexfil::cli::RunOptions &options, spdlog::logger &log,
             const std::string &output_path, usbexfil::cli::RunRecord &record,
             std::optional<usbexfil::Inputs> &inputs,
             std::optional<usbexfil::PipelineResult> &result) {
  const auto start = std::chrono::steady_clock::now();
  // Read before the run: an --expect file that cannot be read fails before any work.
  std::optional<std::vector<usbexfil::ComparableFinding>> expected;
  if (!options.expect.empty()) {
    expected = usbexfil::read_expected_findings(options.expect);
  }
  usbexfil::cli::ProgressLine progress(
      usbexfil::cli::ProgressLine::wanted(options.verbosity == usbexfil::cli::Verbosity::quiet),
      usbexfil::cli::ProgressLine::delay());
  // Made before the run: its temporary file exists while the scans do, so an interrupted run
  // is one the signal handler cleans up after (remove_temporary_files_on_signals).
  usbexfil::cli::OutputTarget output(output_path);
  inputs = usbexfil::resolve_inputs(options.inputs);
  record.inputs = &*inputs;
  result = usbexfil::run_pipeline(*inputs, options.pipeline);
  progress.stop(); // erased before anything else is written to stderr
  const usbexfil::RunSummary summary = usbexfil::cli::run_summary(options, *result);
  usbexfil::write_findings(result->findings, usbexfil::cli::output_options(options, &summary),
                           [&](std::string_view piece) { output.write(piece); });
  output.commit();
  record.result = &*result;
  // Under --output-dir the run file lies beside the findings: their name is enough.
  record.findings_file = options.output_dir.empty()
                             ? output_path
                             : std::filesystem::path(output_path).filename().string();
  usbexfil::cli::report_diagnostics(log, *result);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  usbexfil::cli::report_summary(log, *result, options.pipeline.window, seconds,
                                options.verbosity == usbexfil::cli::Verbosity::verbose);
  int status = 0;
  if (expected) {
    const usbexfil::FindingsDiff diff = usbexfil::diff_findings(
        std::move(*expected), usbexfil::comparable_findings(result->findings));
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
  if (options.fail_on_findings && !result->findings.empty()) {
    log.error("{} finding{} (--fail-on-findings)", result->findings.size(),
              result->findings.size() == 1 ? "" : "s");
    status = 1;
  }
  return status;
}

/// `usbexfil run`: the rule, and with --output-dir or --stats-json the run file, written also
/// when the run fails (exit 2, with its error) so that a scheduled run is never silent.
int run(const usbexfil::cli::RunOptions &options, spdlog::logger &log) {
  const auto start = std::chrono::steady_clock::now();
  usbexfil::cli::RunRecord record;
  record.command = options.command_line;
  record.started = usbexfil::cli::clock_now();
  record.window = options.pipeline.window;
  record.format = std::string(usbexfil::output_format_name(options.format));
  std::optional<usbexfil::cli::DirectoryLock> lock;
  std::string output_path = options.output;
  std::vector<std::string> run_files;
  if (!options.output_dir.empty()) {
    lock.emplace(options.output_dir); // before anything is written: one run per folder
    const std::string dir = options.output_dir + "/";
    output_path = dir + usbexfil::cli::window_file_stem("findings", options.pipeline.window) +
                  std::string(extension(options.format));
    run_files.push_back(dir + usbexfil::cli::window_file_stem("run", options.pipeline.window) +
                        ".json");
  }
  if (!options.stats_json.empty()) {
    run_files.push_back(options.stats_json);
  }
  usbexfil::cli::OutputTarget::check(output_path);
  for (const std::string &file : run_files) {
    usbexfil::cli::OutputTarget::check(file);
  }
  std::optional<usbexfil::Inputs> inputs;
  std::optional<usbexfil::PipelineResult> result;
  const auto finish = [&](int status, std::string error) {
    record.finished = usbexfil::cli::clock_now();
    record.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    record.exit_status = status;
    record.error = std::move(error);
    const std::string json = usbexfil::cli::run_record_json(record);
    for (const std::string &file : run_files) {
      write_file(file, json);
    }
  };
  int status = 0;
  try {
    status = run_rule(options, log, output_path, record, inputs, result);
  } catch (const usbexfil::Error &error) {
    if (!run_files.empty()) {
      record.findings_file.clear(); // a failed run writes no findings
      finish(2, error.what());
    }
    throw;
  }
  if (!run_files.empty()) {
    finish(status, "");
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
  usbexfil::cli::remove_temporary_files_on_signals();
  usbexfil::reserve_heap_on_huge_pages(std::size_t{8} << 20);
  std::shared_ptr<spdlog::logger> log;
  try {
    log = make_logger(parsed.run->verbosity, parsed.run->log_file);
  } catch (const spdlog::spdlog_ex &error) {
    std::fprintf(stderr, "usbexfil: error: %s: cannot open the log file: %s\n",
                 usbexfil::escape_terminal(parsed.run->log_file).c_str(),
                 usbexfil::escape_terminal(error.what()).c_str());
    return 2;
  }

  if (!usbexfil::simd::active_note().empty()) {
    log->warn("warning: {}", usbexfil::simd::active_note());
  }
  try {
    if (parsed.run->command == usbexfil::cli::Command::test) {
      return usbexfil::cli::run_test_cases(*parsed.run, *log);
    }
    if (parsed.run->command == usbexfil::cli::Command::explain) {
      return usbexfil::cli::run_explain(*parsed.run, *log);
    }
    if (parsed.run->command == usbexfil::cli::Command::inspect) {
      return inspect(*parsed.run, *log);
    }
    return run(*parsed.run, *log);
  } catch (const usbexfil::cli::BrokenPipe &) {
    return 141; // the reader of stdout is gone (SIGPIPE ignored): end quietly, as SIGPIPE would
  } catch (const usbexfil::Error &error) {
    log->error("error: {}", error.what());
  } catch (const std::exception &error) {
    log->error("error: {}", error.what());
  }
  return 2;
}
