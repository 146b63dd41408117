#include "cli/test_command.hpp"

#include "usbexfil/check/expected_findings.hpp"
#include "usbexfil/error.hpp"
#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

namespace usbexfil::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char *EXPECTED = "expected.jsonl";

bool is_case(const fs::path &dir) {
  std::error_code error;
  return fs::is_regular_file(dir / EXPECTED, error);
}

/// The case folders a DIR names: itself, or the folders in it that are cases, in name order.
std::vector<fs::path> cases_of(const std::string &dir) {
  if (is_case(dir)) {
    return {fs::path(dir)};
  }
  std::vector<fs::path> found;
  std::error_code error;
  if (fs::is_directory(dir, error)) {
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
      if (it->is_directory(error) && is_case(it->path())) {
        found.push_back(it->path());
      }
    }
  }
  if (error) {
    throw Error(fmt::format("{}: {}", dir, error.message()));
  }
  if (found.empty()) {
    throw Error(fmt::format("{}: not a case folder (no {}) and holds none", dir, EXPECTED));
  }
  std::sort(found.begin(), found.end());
  return found;
}

/// The case's args file (args or ARGS, in the case folder or in in/), if it has one.
std::optional<fs::path> args_file(const fs::path &dir) {
  for (const fs::path &folder : std::array{dir, dir / "in"}) {
    for (const char *name : {"args", "ARGS"}) {
      std::error_code error;
      if (fs::is_regular_file(folder / name, error)) {
        return folder / name;
      }
    }
  }
  return std::nullopt;
}

/// Whether an args file's words name an input: `-`, or a word that is a file or folder beside it.
bool names_an_input(const std::vector<std::string> &words, const fs::path &base) {
  return std::any_of(words.begin(), words.end(), [&](const std::string &word) {
    std::error_code error;
    return word == "-" || (!word.starts_with('-') && fs::exists(base / word, error));
  });
}

/// A case's inputs: its folder in/, or else the entries of the case folder that are not the
/// case's own files (expected.jsonl, args, STDIN, notes in *.md), in name order.
std::vector<std::string> case_inputs(const fs::path &dir) {
  std::error_code error;
  if (fs::is_directory(dir / "in", error)) {
    return {(dir / "in").string()};
  }
  std::vector<std::string> inputs;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name != EXPECTED && name != "args" && name != "ARGS" && name != "STDIN" &&
        name != "stdin" && !name.ends_with(".md")) {
      inputs.push_back(it->path().string());
    }
  }
  if (error) {
    throw Error(fmt::format("{}: {}", dir.string(), error.message()));
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

/// Runs one thing in another working directory, with another standard input, and restores both.
class CaseEnvironment {
public:
  CaseEnvironment(const fs::path &dir, const std::optional<fs::path> &stdin_file)
      : previous_(fs::current_path()) {
    fs::current_path(dir);
    if (stdin_file) {
      const int fd = ::open(stdin_file->c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        restore_directory();
        throw Error(fmt::format("{}: cannot open", stdin_file->string()));
      }
      saved_stdin_ = ::dup(STDIN_FILENO);
      ::dup2(fd, STDIN_FILENO);
      ::close(fd);
    }
  }
  ~CaseEnvironment() {
    if (saved_stdin_ >= 0) {
      ::dup2(saved_stdin_, STDIN_FILENO);
      ::close(saved_stdin_);
    }
    restore_directory();
  }
  CaseEnvironment(const CaseEnvironment &) = delete;
  CaseEnvironment &operator=(const CaseEnvironment &) = delete;

private:
  void restore_directory() {
    std::error_code error;
    fs::current_path(previous_, error);
  }
  fs::path previous_;
  int saved_stdin_ = -1;
};

struct CaseOutcome {
  bool passed = false;
  std::size_t findings = 0;
  std::vector<std::string> lines; ///< the first one goes on the case's line
};

CaseOutcome run_case(const fs::path &given, unsigned threads) {
  CaseOutcome outcome;
  const fs::path dir = fs::absolute(given); // the run is made from another directory
  const auto expected = read_expected_findings((dir / EXPECTED).string());
  // The run's arguments: the args file's words, and the case's inputs unless they name some.
  std::vector<std::string> words;
  fs::path base = dir;
  std::optional<fs::path> stdin_file;
  if (const auto args = args_file(dir)) {
    base = args->parent_path();
    std::ifstream in(*args);
    words.assign(std::istream_iterator<std::string>(in), std::istream_iterator<std::string>());
    if (std::find(words.begin(), words.end(), "-") != words.end()) {
      std::error_code error;
      stdin_file = fs::exists(base / "STDIN", error)   ? base / "STDIN"
                   : fs::exists(base / "stdin", error) ? base / "stdin"
                                                       : fs::path("/dev/null");
    }
  }
  if (!names_an_input(words, base)) {
    const std::vector<std::string> inputs = case_inputs(dir);
    words.insert(words.end(), inputs.begin(), inputs.end());
  }
  words.insert(words.begin(), {"usbexfil", "run"});
  std::vector<char *> argv;
  argv.reserve(words.size() + 1);
  for (std::string &word : words) {
    argv.push_back(word.data());
  }
  argv.push_back(nullptr);

  FindingTable findings;
  PipelineResult result;
  {
    CaseEnvironment environment(base, stdin_file);
    const Parsed parsed = parse_arguments(static_cast<int>(argv.size() - 1), argv.data());
    if (!parsed.run || parsed.run->command != Command::run) {
      outcome.lines.push_back("its arguments are not valid (the message above)");
      return outcome;
    }
    PipelineOptions pipeline = parsed.run->pipeline;
    pipeline.scan.threads = threads;
    try {
      const Inputs inputs = resolve_inputs(parsed.run->inputs);
      result = run_pipeline(inputs, pipeline);
    } catch (const Error &error) {
      outcome.lines.push_back(fmt::format("error: {}", error.what()));
      return outcome;
    }
  }
  const FindingsDiff diff = diff_findings(expected, comparable_findings(result.findings));
  outcome.passed = diff.same();
  outcome.findings = result.findings.size();
  outcome.lines = format_diff(diff, EXPECTED);
  return outcome;
}

void print(const std::string &line) {
  const std::string text = escape_terminal(line) + '\n';
  std::fwrite(text.data(), 1, text.size(), stdout);
}

} // namespace

int run_test_cases(const RunOptions &options, spdlog::logger &log) {
  std::vector<fs::path> cases;
  for (const std::string &dir : options.case_dirs) {
    const std::vector<fs::path> found = cases_of(dir);
    cases.insert(cases.end(), found.begin(), found.end());
  }
  std::size_t passed = 0;
  for (const fs::path &dir : cases) {
    CaseOutcome outcome;
    try {
      outcome = run_case(dir, options.pipeline.scan.threads);
    } catch (const Error &error) { // the expected findings cannot be read
      outcome.lines = {fmt::format("error: {}", error.what())};
    }
    const std::string first = outcome.lines.empty() ? "" : outcome.lines.front();
    if (outcome.passed) {
      ++passed;
      print(fmt::format("ok   {} ({} finding{})", dir.string(), outcome.findings,
                        outcome.findings == 1 ? "" : "s"));
    } else {
      print(fmt::format("FAIL {}: {}", dir.string(), first));
      for (std::size_t i = 1; i < outcome.lines.size(); ++i) {
        print("    " + outcome.lines[i]);
      }
    }
    std::fflush(stdout);
  }
  print(fmt::format("{} passed, {} failed", passed, cases.size() - passed));
  if (passed < cases.size()) {
    log.error("{} of {} case{} failed", cases.size() - passed, cases.size(),
              cases.size() == 1 ? "" : "s");
    return 1;
  }
  return 0;
}

} // namespace usbexfil::cli
