// --format and its companions on real runs: every golden case (testdata/cases) and the demo day
// in every format must give testdata/formats/<case>/expected.<format> byte for byte (and
// expected.sentinel.jsonl with --sentinel-strings, expected.enrich.<format> with --enrich). The
// cases run from their own folder with their file names as inputs, so that the HTML summary, which
// lists the inputs, is the same on every machine. USBEXFIL_UPDATE_GOLDEN=1 rewrites the expected
// files instead (review the diff).
#include "cli/run_command.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

using namespace usbexfil::testing;
namespace fs = std::filesystem;

namespace {

const fs::path TESTDATA(USBEXFIL_TESTDATA_DIR);

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

struct GoldenCase {
  std::string name;
  fs::path dir;
  std::string inputs; ///< file names, sorted, quoted
  std::string args;
};

std::vector<GoldenCase> golden_cases() {
  std::vector<GoldenCase> cases;
  std::vector<fs::path> dirs;
  for (const auto &entry : fs::directory_iterator(TESTDATA / "cases")) {
    if (entry.is_directory()) {
      dirs.push_back(entry.path());
    }
  }
  dirs.push_back(TESTDATA / "demo");
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path &dir : dirs) {
    GoldenCase c{dir.filename().string(), dir, "", ""};
    if (fs::exists(dir / "args")) {
      c.args = trim(read_file((dir / "args").string()));
    }
    std::vector<std::string> names;
    for (const auto &input : fs::directory_iterator(dir)) {
      const std::string name = input.path().filename().string();
      // A case's inputs are all its entries but these (as in golden_test.cpp), and the demo's
      // README and script.
      if (name != "args" && name != "case.md" && name != "expected.jsonl" && name != "README.md" &&
          name != "generate.py") {
        names.push_back(name);
      }
    }
    std::sort(names.begin(), names.end());
    for (const std::string &name : names) {
      c.inputs += " '" + name + "'";
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

/// Runs a shell command with stdout and stderr captured.
CommandResult shell(const std::string &text) {
  TempDir capture;
  const std::string command =
      "(" + text + ") >'" + capture.file("out") + "' 2>'" + capture.file("err") + "'";
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(capture.file("out"));
  result.err = read_file(capture.file("err"));
  return result;
}

/// `usbexfil run` in the case's folder, table width 80, no colour asked for.
CommandResult run_in(const GoldenCase &c, const std::string &options) {
  return shell("cd '" + c.dir.string() + "' && COLUMNS=80 '" + USBEXFIL_BINARY + "' run" +
               c.inputs + " -q " + c.args + " " + options);
}

struct Variant {
  const char *file;    ///< expected.<file>
  const char *options; ///< the run's options
};
constexpr Variant VARIANTS[] = {
    {"json", "--format json"},
    {"csv", "--format csv"},
    {"table", "--format table"},
    {"html", "--format html"},
    {"sentinel.jsonl", "--sentinel-strings"},
    {"enrich.jsonl", "--enrich"},
    {"enrich.csv", "--enrich --format csv"},
    {"enrich.table", "--enrich --format table"},
    {"enrich.html", "--enrich --format html"},
};

} // namespace

TEST(GoldenFormats, EveryCaseInEveryFormatGivesItsExpectedBytes) {
  const bool update = std::getenv("USBEXFIL_UPDATE_GOLDEN") != nullptr;
  const std::vector<GoldenCase> cases = golden_cases();
  ASSERT_GE(cases.size(), 20u);
  std::size_t compared = 0;
  for (const GoldenCase &c : cases) {
    // jsonl, the default, is the case's own expected.jsonl: --format jsonl changes nothing.
    const CommandResult jsonl = run_in(c, "--format jsonl");
    EXPECT_EQ(jsonl.exit_code, 0) << c.name << ": " << jsonl.err;
    EXPECT_EQ(jsonl.out, read_file((c.dir / "expected.jsonl").string())) << c.name;
    for (const Variant &v : VARIANTS) {
      SCOPED_TRACE(c.name + " " + v.options);
      const fs::path expected = TESTDATA / "formats" / c.name / (std::string("expected.") + v.file);
      const CommandResult result = run_in(c, v.options);
      ASSERT_EQ(result.exit_code, 0) << result.err;
      if (update) {
        fs::create_directories(expected.parent_path());
        std::ofstream(expected, std::ios::binary) << result.out;
      }
      ASSERT_TRUE(fs::exists(expected)) << expected;
      EXPECT_EQ(result.out, read_file(expected.string()));
      ++compared;
    }
  }
  EXPECT_EQ(compared, cases.size() * std::size(VARIANTS));
}

TEST(GoldenFormats, EnrichChangesNoColumnOfTheRule) {
  // Every case's enriched findings hold its plain findings: --expect compares the 17 columns.
  for (const GoldenCase &c : golden_cases()) {
    const CommandResult result = run_in(c, "--enrich --expect expected.jsonl");
    EXPECT_EQ(result.exit_code, 0) << c.name << ": " << result.err;
    const std::string plain = read_file((c.dir / "expected.jsonl").string());
    EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'),
              std::count(plain.begin(), plain.end(), '\n'))
        << c.name;
    for (std::size_t at = 0; at < result.out.size(); at = result.out.find('\n', at) + 1) {
      const std::string line = result.out.substr(at, result.out.find('\n', at) - at);
      EXPECT_NE(line.find(",\"Enrichment\":{\"FindingId\":\""), std::string::npos)
          << c.name << ": " << line;
    }
  }
}

TEST(CliFormats, OutputFileIsWrittenAtomicallyInEveryFormat) {
  const fs::path demo = TESTDATA / "demo";
  for (const char *format : {"jsonl", "json", "csv", "table", "html"}) {
    SCOPED_TRACE(format);
    TempDir dir;
    const std::string target = dir.file("findings.out");
    const CommandResult ok =
        run_usbexfil("run '" + demo.string() + "' -q --format " + format + " -o '" + target + "'");
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_EQ(ok.out, "");
    const std::string written = read_file(target);
    const CommandResult to_stdout =
        run_usbexfil("run '" + demo.string() + "' -q --format " + format);
    EXPECT_EQ(written, to_stdout.out);
    EXPECT_GT(written.size(), 1000u);
    // A failing run (a missing input) leaves the file as it was, with no temporary file.
    const CommandResult failed = run_usbexfil("run '" + dir.file("missing") + "' -q --format " +
                                              format + " -o '" + target + "'");
    EXPECT_EQ(failed.exit_code, 2);
    EXPECT_EQ(read_file(target), written);
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
  }
}

TEST(CliFormats, TableHasNoColourWhenNotATerminal) {
  const fs::path demo = TESTDATA / "demo";
  // stdout is a file here; also with -o FILE and with NO_COLOR there is never an escape.
  const CommandResult plain = run_usbexfil("run '" + demo.string() + "' -q --format table");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.out.find('\x1b'), std::string::npos);
  EXPECT_NE(plain.out.find("User       megan.bowen@contoso.com\n"), std::string::npos);
}

TEST(CliFormats, TableColoursOnATerminalUnlessNoColor) {
  // script(1) gives the command a pseudo-terminal; without it the test cannot make a TTY.
  if (std::system("command -v script >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "script(1) (util-linux) not found";
  }
  const fs::path demo = TESTDATA / "demo";
  const std::string run =
      std::string("'") + USBEXFIL_BINARY + "' run '" + demo.string() + "' -q --format table";
  TempDir dir;
  const auto on_tty = [&](const std::string &env) {
    const std::string command = "script -qec \"" + env + " " + run + "\" /dev/null > '" +
                                dir.file("tty") + "' 2>&1 </dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return read_file(dir.file("tty"));
  };
  const std::string coloured = on_tty("env -u NO_COLOR TERM=xterm");
  EXPECT_NE(coloured.find("\x1b[1mmegan.bowen@contoso.com\x1b[0m"), std::string::npos)
      << coloured.substr(0, 400);
  const std::string no_color = on_tty("env NO_COLOR=1 TERM=xterm");
  EXPECT_NE(no_color.find("megan.bowen@contoso.com"), std::string::npos);
  EXPECT_EQ(no_color.find('\x1b'), std::string::npos);
  const std::string dumb = on_tty("env -u NO_COLOR TERM=dumb");
  EXPECT_EQ(dumb.find('\x1b'), std::string::npos);
}

TEST(CliFormats, TableWidthComesFromColumns) {
  const fs::path demo = TESTDATA / "demo";
  const CommandResult narrow = shell("COLUMNS=50 '" + std::string(USBEXFIL_BINARY) + "' run '" +
                                     demo.string() + "' -q --format table");
  ASSERT_EQ(narrow.exit_code, 0) << narrow.err;
  const std::string text = narrow.out.substr(narrow.out.rfind("Finding 1 of 2"));
  EXPECT_TRUE(text.starts_with("Finding 1 of 2 " + std::string(35, '-') + "\n")) << text;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t end = text.find('\n', pos);
    EXPECT_LE(end - pos, 50u) << text.substr(pos, end - pos);
    pos = end + 1;
  }
}

TEST(CliFormats, CompanionOptionsNeedTheirFormat) {
  const fs::path demo = TESTDATA / "demo";
  const CommandResult bom = run_usbexfil("run '" + demo.string() + "' --csv-bom");
  EXPECT_EQ(bom.exit_code, 2);
  EXPECT_NE(bom.err.find("usbexfil: error: --csv-bom: is for --format csv"), std::string::npos)
      << bom.err;
  const CommandResult strings =
      run_usbexfil("run '" + demo.string() + "' --format table --sentinel-strings");
  EXPECT_EQ(strings.exit_code, 2);
  EXPECT_NE(strings.err.find("--sentinel-strings"), std::string::npos) << strings.err;
  const CommandResult unknown = run_usbexfil("run '" + demo.string() + "' --format xml");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("--format"), std::string::npos) << unknown.err;
  const CommandResult with_bom =
      run_usbexfil("run '" + demo.string() + "' -q --format csv --csv-bom");
  EXPECT_EQ(with_bom.exit_code, 0);
  EXPECT_EQ(with_bom.out,
            "\xEF\xBB\xBF" + read_file((TESTDATA / "formats/demo/expected.csv").string()));
  // With csv, --sentinel-strings changes nothing: _Details are that JSON text already.
  const CommandResult csv_strings =
      run_usbexfil("run '" + demo.string() + "' -q --format csv --sentinel-strings");
  EXPECT_EQ(csv_strings.exit_code, 0);
  EXPECT_EQ(csv_strings.out, read_file((TESTDATA / "formats/demo/expected.csv").string()));
}
