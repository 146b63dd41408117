// The command line as a contract: exit codes, stdout for findings only, -o, --strict, -q/-v.
#include "cli/run_command.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include <sys/stat.h>

using namespace usbexfil::testing;

namespace {

const std::string DEMO = std::string(USBEXFIL_TESTDATA_DIR) + "/demo";

/// The demo day's four table files, in the rule's order.
const std::string DEMO_TABLES[] = {"SecurityAlert.jsonl", "CloudAppEvents.jsonl",
                                   "DeviceFileEvents.jsonl", "DeviceEvents.jsonl"};

/// The demo day's table files as quoted arguments, each after a space (not the folder, which
/// also holds README.md, generate.py and expected.jsonl).
std::string demo_table_paths() {
  std::string paths;
  for (const std::string &table : DEMO_TABLES) {
    paths += " '" + DEMO + "/" + table + "'";
  }
  return paths;
}

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(run_usbexfil("").exit_code, 2);
  EXPECT_EQ(run_usbexfil("frobnicate").exit_code, 2);
  EXPECT_EQ(run_usbexfil("run").exit_code, 2);
  EXPECT_EQ(run_usbexfil("run '" + DEMO + "' --no-such-flag").exit_code, 2);
  EXPECT_EQ(run_usbexfil("run '" + DEMO + "' -q -v").exit_code, 2);
  const CommandResult bad_from = run_usbexfil("run '" + DEMO + "' --from yesterday");
  EXPECT_EQ(bad_from.exit_code, 2);
  EXPECT_TRUE(contains(bad_from.err, "yesterday")) << bad_from.err;
  EXPECT_EQ(bad_from.out, "");
}

TEST(Cli, HelpAndVersionExitWithZero) {
  const CommandResult help = run_usbexfil("run --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(contains(help.out, "Examples:"));
  EXPECT_TRUE(contains(help.out, "--strict"));
  const CommandResult version = run_usbexfil("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(version.out.starts_with("usbexfil "));
  EXPECT_TRUE(contains(version.out, "\nsimd: pre-filter ")) << version.out;
}

TEST(Cli, BareCommandAndHelpPrintTheUsageAndUsageErrorsArePrefixed) {
  const CommandResult bare = run_usbexfil("");
  EXPECT_EQ(bare.exit_code, 2);
  EXPECT_EQ(bare.out, "");
  EXPECT_TRUE(contains(bare.err, "Usage: usbexfil")) << bare.err;
  EXPECT_TRUE(contains(bare.err, "inspect")) << bare.err;
  const CommandResult help = run_usbexfil("help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(contains(help.out, "Usage: usbexfil [OPTIONS] SUBCOMMAND")) << help.out;
  const CommandResult help_run = run_usbexfil("help run");
  EXPECT_EQ(help_run.exit_code, 0);
  EXPECT_TRUE(contains(help_run.out, "Usage: usbexfil run")) << help_run.out;
  EXPECT_TRUE(contains(help_run.out, "--strict")) << help_run.out;
  const CommandResult unknown = run_usbexfil("frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(unknown.err.starts_with("usbexfil: error: 'frobnicate' is not a subcommand"))
      << unknown.err;
  const CommandResult flag = run_usbexfil("run '" + DEMO + "' --no-such-flag");
  EXPECT_TRUE(flag.err.starts_with("usbexfil: error: ")) << flag.err;
  EXPECT_TRUE(contains(flag.err, "--no-such-flag")) << flag.err;
  EXPECT_TRUE(contains(flag.err, "usbexfil run --help")) << flag.err;
}

TEST(Cli, DashOutputIsStandardOutputAndTheSummarySaysWhatTheRuleUsed) {
  const CommandResult plain = run_usbexfil("run" + demo_table_paths());
  const CommandResult dash = run_usbexfil("run" + demo_table_paths() + " -o -");
  EXPECT_EQ(dash.exit_code, 0) << dash.err;
  EXPECT_FALSE(dash.out.empty());
  EXPECT_EQ(dash.out, plain.out);
  EXPECT_FALSE(std::filesystem::exists("-"));
  // The demo tables are 30-183 kB: sizes in kB, never "0.0 MB"; "used by the rule", not "kept".
  EXPECT_TRUE(contains(dash.err, "SecurityAlert: 1 file, 30.1 kB, 18 rows read, 0 skipped, "
                                 "11 used by the rule"))
      << dash.err;
  EXPECT_FALSE(contains(dash.err, " 0.0 MB")) << dash.err;
}

TEST(Cli, TheSummaryShowsWhereTheDataLiesAndWarnsOfAWindowThatMissesIt) {
  const CommandResult open = run_usbexfil("run" + demo_table_paths());
  ASSERT_EQ(open.exit_code, 0) << open.err;
  EXPECT_TRUE(contains(open.err, "11 used by the rule, TimeGenerated 2026-03-10T08:00:19Z to "
                                 "2026-03-10T19:00:33Z, 0 warnings"))
      << open.err;
  EXPECT_FALSE(contains(open.err, "outside the window")) << open.err;
  // The closing line: how much was read, how fast, and the memory it took.
  const std::size_t closing = open.err.find("usbexfil: 2 findings written in ");
  ASSERT_NE(closing, std::string::npos) << open.err;
  const std::string last = open.err.substr(closing, open.err.find('\n', closing) - closing);
  EXPECT_TRUE(contains(last, " s (") && contains(last, " kB read, ") &&
              contains(last, "B/s; peak memory ") && last.ends_with(" MB)"))
      << last;

  // Half a day: some alerts fall outside, and the summary counts them.
  const CommandResult half =
      run_usbexfil("run" + demo_table_paths() + " --from 2026-03-10T12:00:00Z --to 2026-03-11");
  ASSERT_EQ(half.exit_code, 0) << half.err;
  EXPECT_TRUE(contains(half.err, "outside the window")) << half.err;
  EXPECT_FALSE(contains(half.err, "holds none")) << half.err;

  // A window a year off: no finding, and a warning that says why rather than a quiet day.
  const CommandResult missed = run_usbexfil("run" + demo_table_paths() + " --from 2027-01-01");
  ASSERT_EQ(missed.exit_code, 0) << missed.err;
  EXPECT_EQ(missed.out, "");
  EXPECT_TRUE(contains(missed.err, "18 rows read, 0 skipped, 0 used by the rule, TimeGenerated "
                                   "2026-03-10T08:00:19Z to 2026-03-10T19:00:33Z, 18 outside "
                                   "the window"))
      << missed.err;
  EXPECT_TRUE(contains(missed.err,
                       "warning: SecurityAlert: the window [2027-01-01T00:00:00Z, +inf) holds "
                       "none of the 18 rows the rule could use (their TimeGenerated spans "
                       "2026-03-10T08:00:19Z to 2026-03-10T19:00:33Z)"))
      << missed.err;
  EXPECT_FALSE(contains(missed.err, "hint:")) << missed.err;
}

TEST(Cli, FindingsWrittenIntoTheExportFolderAreNotReadBack) {
  TempDir dir;
  for (const std::string &table : DEMO_TABLES) {
    dir.write(table, read_file(DEMO + "/" + table));
  }
  const std::string findings = dir.file("DeviceEvents-findings.jsonl");
  const CommandResult first =
      run_usbexfil("run -q '" + dir.path().string() + "' -o '" + findings + "'");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_FALSE(read_file(findings).empty());
  // The next run over the same folder names the file and leaves it out, with the same findings.
  const CommandResult again = run_usbexfil("run '" + dir.path().string() + "'");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, read_file(findings));
  EXPECT_TRUE(contains(again.err, "DeviceEvents-findings.jsonl: usbexfil findings, not a table"))
      << again.err;
  EXPECT_TRUE(contains(again.err, "DeviceEvents: 1 file,")) << again.err;
  const CommandResult inspect = run_usbexfil("inspect '" + findings + "'");
  EXPECT_TRUE(contains(inspect.out, "usbexfil findings")) << inspect.out;
}

TEST(Cli, ControlCharactersInNamesAndArgumentsAreEscapedOnTheTerminal) {
  TempDir dir;
  dir.write("SecurityAlert.jsonl", read_file(DEMO + "/SecurityAlert.jsonl"));
  // A name that would turn the terminal red, ring its bell and forge a second message line.
  const std::string name = "notes\x1b[31mred\a\nusbexfil: error: forged";
  dir.write(name, "{}\n");
  const CommandResult result = run_usbexfil("run '" + dir.path().string() + "'");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.err, "notes\\x1b[31mred\\x07\\x0ausbexfil: error: forged: no table"))
      << result.err;
  EXPECT_FALSE(contains(result.err, "\x1b")) << result.err;
  EXPECT_FALSE(contains(result.err, "\a")) << result.err;
  EXPECT_FALSE(contains(result.err, "\nusbexfil: error: forged")) << result.err;
  const CommandResult inspect = run_usbexfil("inspect '" + dir.path().string() + "'");
  EXPECT_TRUE(contains(inspect.out, "notes\\x1b[31mred")) << inspect.out;
  EXPECT_FALSE(contains(inspect.out, "\x1b")) << inspect.out;
  // C1 controls (here U+009B, a one-byte CSI) and text from the arguments, too.
  const CommandResult usage = run_usbexfil("run '" + dir.path().string() +
                                           "' --from '\xc2\x9b"
                                           "31m'");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_TRUE(contains(usage.err, "\\u009b31m")) << usage.err;
  EXPECT_FALSE(contains(usage.err, "\xc2\x9b")) << usage.err;
}

TEST(Cli, AnEmptyWindowIsAUsageError) {
  for (const std::string &bounds : {std::string("--from 2026-03-11 --to 2026-03-10"),
                                    std::string("--from 2026-03-10 --to 2026-03-10T00:00:00Z")}) {
    const CommandResult result = run_usbexfil("run '" + DEMO + "' " + bounds);
    EXPECT_EQ(result.exit_code, 2) << bounds;
    EXPECT_TRUE(contains(result.err, "is not before --to")) << result.err;
    EXPECT_EQ(result.out, "");
  }
  EXPECT_EQ(
      run_usbexfil("run '" + DEMO + "' -q --from 2026-03-10 --to 2026-03-10T00:00:01Z").exit_code,
      0);
}

TEST(Cli, FailOnFindingsExitsWithOneOnlyWhenThereAreFindings) {
  const CommandResult found = run_usbexfil("run '" + DEMO + "' --fail-on-findings");
  EXPECT_EQ(found.exit_code, 1);
  EXPECT_FALSE(found.out.empty()); // the findings are still written
  EXPECT_TRUE(contains(found.err, "(--fail-on-findings)")) << found.err;
  // Outside the demo day's window: no finding, exit 0.
  const CommandResult clean =
      run_usbexfil("run '" + DEMO + "' -q --fail-on-findings --from 2020-01-01 --to 2020-01-02");
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(clean.out, "");
}

TEST(Cli, MissingOrEmptyDirIsAnError) {
  const CommandResult missing = run_usbexfil("run /nonexistent/export");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "usbexfil: error: /nonexistent/export: no such file or directory\n");
  EXPECT_EQ(missing.out, "");
  TempDir empty;
  empty.write("notes.txt", "hello");
  const CommandResult none = run_usbexfil("run '" + empty.path().string() + "'");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_TRUE(contains(none.err, "no input for any of the four tables")) << none.err;
}

TEST(Cli, StdoutCarriesFindingsOnlyAndStderrTheSummary) {
  const CommandResult run = run_usbexfil("run '" + DEMO + "'");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_FALSE(run.out.empty());
  EXPECT_TRUE(run.out.starts_with("{\"Alert_TimeGenerated\":"));
  EXPECT_TRUE(contains(run.err, "DeviceFileEvents: 1 file"));
  EXPECT_TRUE(contains(run.err, "written in"));
  const CommandResult quiet = run_usbexfil("run -q '" + DEMO + "'");
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out, run.out);
  const CommandResult verbose = run_usbexfil("run -v '" + DEMO + "'");
  EXPECT_TRUE(contains(verbose.err, "stage join_usb_mounts:"));
}

TEST(Cli, MalformedLinesAreReportedAndStrictMakesThemFatal) {
  TempDir dir;
  dir.write("SecurityAlert.jsonl", "{}\n{\"AlertName\": tru}\n[]\n");
  const CommandResult lenient = run_usbexfil("run '" + dir.path().string() + "'");
  EXPECT_EQ(lenient.exit_code, 0);
  EXPECT_TRUE(contains(lenient.err, dir.file("SecurityAlert.jsonl") + ":2: not valid JSON"))
      << lenient.err;
  EXPECT_TRUE(contains(lenient.err, dir.file("SecurityAlert.jsonl") + ":3: not a JSON object"));
  EXPECT_TRUE(contains(lenient.err, "3 rows read, 2 skipped"));
  const CommandResult strict = run_usbexfil("run --strict '" + dir.path().string() + "'");
  EXPECT_EQ(strict.exit_code, 2);
  EXPECT_TRUE(contains(strict.err, "usbexfil: error: " + dir.file("SecurityAlert.jsonl") + ":2:"))
      << strict.err;
  EXPECT_EQ(strict.out, "");
}

TEST(Cli, StrictChecksLinesThePreFilterWouldSkip) {
  TempDir dir;
  dir.write(
      "SecurityAlert.jsonl",
      R"({"AlertName":"Mass download by a single user","TimeGenerated":"2026-03-10T10:00:00Z","Entities":[{"Type":"ip","Address":"1"},{"Type":"account","AadUserId":"a"}]})"
      "\n");
  dir.write("CloudAppEvents.jsonl",
            R"({"ActionType":"FileDownloaded","AccountObjectId":"a","IPAddress":"1"})"
            "\n{\"ActionType\": NaN}\n");
  EXPECT_EQ(run_usbexfil("run -q '" + dir.path().string() + "'").exit_code, 0);
  const CommandResult strict = run_usbexfil("run --strict '" + dir.path().string() + "'");
  EXPECT_EQ(strict.exit_code, 2);
  EXPECT_TRUE(contains(strict.err, "CloudAppEvents.jsonl:2: not valid JSON")) << strict.err;
  const CommandResult validate = run_usbexfil("run --validate-all '" + dir.path().string() + "'");
  EXPECT_EQ(validate.exit_code, 0);
  EXPECT_TRUE(contains(validate.err, "CloudAppEvents.jsonl:2: not valid JSON")) << validate.err;
}

TEST(Cli, StrictRefusesAMissingOrEmptyTableAndAFileItCannotRead) {
  const std::string all = demo_table_paths();
  const CommandResult clean = run_usbexfil("run --strict -q" + all);
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_FALSE(clean.out.empty());
  // A table without input: a warning normally, an error under --strict.
  const std::string three = all.substr(0, all.rfind(" '"));
  const CommandResult lenient = run_usbexfil("run" + three);
  EXPECT_EQ(lenient.exit_code, 0);
  EXPECT_TRUE(contains(lenient.err, "no input for DeviceEvents; the table is empty"))
      << lenient.err;
  const CommandResult missing = run_usbexfil("run --strict -q" + three);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(contains(missing.err, "usbexfil: error: no input for DeviceEvents (--strict"))
      << missing.err;
  EXPECT_EQ(missing.out, "");
  // A table whose input holds no rows.
  TempDir dir;
  const std::string empty = dir.write("DeviceEvents.jsonl", "\n\n");
  const CommandResult no_rows = run_usbexfil("run --strict -q" + three + " '" + empty + "'");
  EXPECT_EQ(no_rows.exit_code, 2);
  EXPECT_TRUE(contains(no_rows.err, "DeviceEvents: 1 input read, no rows")) << no_rows.err;
  // A file that names no table (the demo folder holds README.md, generate.py, expected.jsonl).
  const CommandResult unread = run_usbexfil("run --strict -q '" + DEMO + "'");
  EXPECT_EQ(unread.exit_code, 2);
  EXPECT_TRUE(contains(unread.err, ": no table: ")) << unread.err;
  EXPECT_TRUE(contains(unread.err, "(--strict: every input file must be read)")) << unread.err;
  EXPECT_EQ(unread.out, "");
}

TEST(Cli, OutputFileIsWrittenWholeOrNotAtAll) {
  TempDir out;
  const std::string target = out.file("findings.jsonl");
  const CommandResult ok = run_usbexfil("run -q '" + DEMO + "' -o '" + target + "'");
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_EQ(ok.out, "");
  EXPECT_EQ(read_file(target), run_usbexfil("run -q '" + DEMO + "'").out);

  out.write("findings.jsonl", "previous run\n");
  const CommandResult failed = run_usbexfil("run /nonexistent -o '" + target + "'");
  EXPECT_EQ(failed.exit_code, 2);
  EXPECT_EQ(read_file(target), "previous run\n");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto &entry : std::filesystem::directory_iterator(out.path())) {
    ++files;
  }
  EXPECT_EQ(files, 1u); // no temporary file left behind

  const CommandResult no_dir = run_usbexfil("run -q '" + DEMO + "' -o /nonexistent/dir/f.jsonl");
  EXPECT_EQ(no_dir.exit_code, 2);
  EXPECT_TRUE(contains(no_dir.err, "/nonexistent/dir/f.jsonl")) << no_dir.err;
}

TEST(Cli, AnOutputThatCannotBeWrittenIsRefusedBeforeAnyWork) {
  // Under --strict the input's malformed line would end the run; the output is refused first.
  TempDir dir;
  dir.write("SecurityAlert.jsonl", "{\"AlertName\": tru}\n");
  for (const std::string &target : {dir.path().string(), std::string("/nonexistent/dir/f.jsonl")}) {
    const CommandResult result =
        run_usbexfil("run --strict '" + dir.path().string() + "' -o '" + target + "'");
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_TRUE(contains(result.err, "usbexfil: error: " + target + ": ")) << result.err;
    EXPECT_FALSE(contains(result.err, "not valid JSON")) << result.err;
  }
}

TEST(Cli, OutputToSomethingNotARegularFileIsWrittenInPlace) {
  TempDir out;
  const std::string expected = run_usbexfil("run -q '" + DEMO + "'").out;
  ASSERT_FALSE(expected.empty());

  // A FIFO (as /dev/null or a terminal would be) is written to, not replaced by a file.
  const std::string fifo = out.file("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string captured = out.file("captured");
  const std::string command = "timeout 20 cat '" + fifo + "' >'" + captured + "' & '" +
                              USBEXFIL_BINARY + "' run -q '" + DEMO + "' -o '" + fifo +
                              "'; s=$?; wait; exit $s";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(std::filesystem::is_fifo(std::filesystem::symlink_status(fifo)));
  EXPECT_EQ(read_file(captured), expected);

  // A symbolic link stays a link; the file it points at gets the findings.
  out.write("real.jsonl", "previous run\n");
  const std::string link = out.file("link.jsonl");
  std::filesystem::create_symlink(out.file("real.jsonl"), link);
  EXPECT_EQ(run_usbexfil("run -q '" + DEMO + "' -o '" + link + "'").exit_code, 0);
  EXPECT_TRUE(std::filesystem::is_symlink(std::filesystem::symlink_status(link)));
  EXPECT_EQ(read_file(out.file("real.jsonl")), expected);

  // A directory is refused before any work.
  const CommandResult dir = run_usbexfil("run -q '" + DEMO + "' -o '" + out.path().string() + "'");
  EXPECT_EQ(dir.exit_code, 2);
  EXPECT_TRUE(contains(dir.err, "is a directory")) << dir.err;
}

TEST(Cli, WriteFailureOnStdoutIsAnError) {
  if (!std::filesystem::exists("/dev/full")) {
    GTEST_SKIP() << "no /dev/full";
  }
  const std::string command =
      std::string("'") + USBEXFIL_BINARY + "' run -q '" + DEMO + "' >/dev/full 2>/dev/null";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
}

TEST(Cli, TimeWindowDropsRowsOutsideIt) {
  const CommandResult all = run_usbexfil("run -q '" + DEMO + "'");
  ASSERT_FALSE(all.out.empty());
  const CommandResult before = run_usbexfil("run -q '" + DEMO + "' --to 2000-01-01");
  EXPECT_EQ(before.exit_code, 0);
  EXPECT_EQ(before.out, "");
  const CommandResult wide =
      run_usbexfil("run -q '" + DEMO + "' --from 2000-01-01 --to 2100-01-01T00:00:00Z");
  EXPECT_EQ(wide.out, all.out);
}

TEST(Cli, SameBytesForAnyThreadCountAndChunkSize) {
  const std::string reference = run_usbexfil("run -q -j 1 '" + DEMO + "'").out;
  for (const char *options : {"-j 2", "-j 3 --chunk-size 64", "-j 2 --chunk-size 1k"}) {
    EXPECT_EQ(run_usbexfil("run -q " + std::string(options) + " '" + DEMO + "'").out, reference)
        << options;
  }
}

TEST(Cli, ReadsPathsOptionsAndStandardInput) {
  TempDir dir;
  const std::string demo_gz = dir.file("de.gz");
  ASSERT_EQ(std::system(("gzip -c '" + DEMO + "/DeviceEvents.jsonl' > '" + demo_gz + "'").c_str()),
            0);
  const CommandResult flat = run_usbexfil("run -q '" + DEMO + "'");
  const CommandResult mixed =
      run_usbexfil("run -q '" + DEMO + "/SecurityAlert.jsonl' '" + DEMO +
                   "/CloudAppEvents.jsonl' "
                   "--device-file-events '" +
                   DEMO + "/DeviceFileEvents.jsonl' --device-events - < '" + demo_gz + "'");
  EXPECT_EQ(mixed.exit_code, 0) << mixed.err;
  EXPECT_EQ(mixed.out, flat.out);
}

TEST(Cli, UsageErrorsForNoInputAndTwoStandardInputs) {
  const CommandResult none = run_usbexfil("run");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_TRUE(contains(none.err, "give at least one PATH")) << none.err;
  const CommandResult twice = run_usbexfil("run - --alerts - < /dev/null");
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_TRUE(contains(twice.err, "can be given once")) << twice.err;
}

TEST(Cli, UnreadableCompressedInputIsReportedNeverSilent) {
  TempDir dir;
  const std::string whole = read_file(DEMO + "/SecurityAlert.jsonl");
  dir.write("SecurityAlert.jsonl.gz", std::string("\x1f\x8b\x08\x00", 4) + "not gzip at all");
  const CommandResult run = run_usbexfil("run '" + dir.path().string() + "'");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_TRUE(contains(run.err, "SecurityAlert.jsonl.gz: ")) << run.err;
  EXPECT_TRUE(contains(run.err, "gzip")) << run.err;
  const CommandResult strict = run_usbexfil("run --strict '" + dir.path().string() + "'");
  EXPECT_EQ(strict.exit_code, 2) << strict.err;
}

TEST(Cli, InspectSaysHowEachFileIsReadAndWhatIsMissing) {
  TempDir dir;
  dir.write("export/DeviceFileEvents.json",
            "{\"TimeGenerated\":\"2026-03-10T09:00:00Z\",\"ActionType\":\"FileCreated\","
            "\"FileName\":\"a.txt\",\"InitiatingProcessAccountUpn\":\"\"}\n"
            "{\"TimeGenerated\":\"2026-03-10T10:00:00Z\",\"ActionType\":\"FileCreated\","
            "\"FileName\":\"b.txt\"}\nnot json\n");
  dir.write("export/notes.txt", "hello\n");
  const CommandResult run = run_usbexfil("inspect '" + dir.file("export") + "'");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "DeviceFileEvents.json\n  JSON lines: rows; DeviceFileEvents (by "
                                "name)\n  3 records, 1 bad\n  DeviceFileEvents: 2 rows, "
                                "TimeGenerated 2026-03-10T09:00:00.0000000Z .. "
                                "2026-03-10T10:00:00.0000000Z\n"))
      << run.out;
  EXPECT_TRUE(contains(run.out, "missing in all rows: FolderPath, DeviceId, DeviceName"))
      << run.out;
  EXPECT_TRUE(contains(run.out, "empty in all rows: InitiatingProcessAccountUpn")) << run.out;
  EXPECT_TRUE(contains(run.out, "notes.txt\n")) << run.out;
  EXPECT_TRUE(contains(run.out, "not read: no table")) << run.out;
  EXPECT_TRUE(contains(run.err, "notes.txt: no table")) << run.err;
}

TEST(Cli, ExpectPassesOnEqualFindingsAndExitsOneWithTheDifferences) {
  const std::string expected = DEMO + "/expected.jsonl";
  const CommandResult same =
      run_usbexfil("run -q" + demo_table_paths() + " --expect '" + expected + "' -o /dev/null");
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(same.err, "");
  const CommandResult loud =
      run_usbexfil("run" + demo_table_paths() + " --expect '" + expected + "' -o /dev/null");
  EXPECT_TRUE(contains(loud.err, "findings match " + expected + " (2 findings)")) << loud.err;

  // The first finding with another count, the second left out, as Sentinel's JSON array.
  TempDir dir;
  const std::string text = read_file(expected);
  std::string first = text.substr(0, text.find('\n'));
  const std::size_t count = first.find("\"FileCount\":");
  ASSERT_NE(count, std::string::npos);
  first.replace(count, first.find_first_of(",}", count) - count, "\"FileCount\":99");
  const std::string changed = dir.write("changed.json", "[\n" + first + "\n]\n");
  const CommandResult differ = run_usbexfil("run -q" + demo_table_paths() + " --expect '" +
                                            changed + "' -o '" + dir.file("out.jsonl") + "'");
  EXPECT_EQ(differ.exit_code, 1) << differ.err;
  EXPECT_EQ(read_file(dir.file("out.jsonl")), text); // the findings are written all the same
  EXPECT_TRUE(contains(differ.err, "usbexfil: findings differ from " + changed +
                                       ": 0 missing, 1 unexpected, 1 changed, 0 equal"))
      << differ.err;
  EXPECT_TRUE(contains(differ.err, "usbexfil:   unexpected: alert ")) << differ.err;
  EXPECT_TRUE(
      contains(differ.err, "usbexfil:     CloudAppEvents_Details.FileCount: expected 99, got "))
      << differ.err;

  // An expected file that cannot be read fails before any work, naming it.
  const CommandResult missing =
      run_usbexfil("run" + demo_table_paths() + " --expect '" + dir.file("absent.jsonl") + "'");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_TRUE(contains(missing.err, "absent.jsonl")) << missing.err;
  EXPECT_FALSE(contains(missing.err, "rows read")) << missing.err;
}

TEST(Cli, TestRunsCaseFoldersAndCountsPassedAndFailed) {
  TempDir dir;
  for (const std::string &table : DEMO_TABLES) {
    dir.write("cases/a-demo/" + table, read_file(DEMO + "/" + table));
    dir.write("cases/b-late-window/in/" + table, read_file(DEMO + "/" + table));
    dir.write("cases/c-wrong/" + table, read_file(DEMO + "/" + table));
  }
  dir.write("cases/a-demo/expected.jsonl", read_file(DEMO + "/expected.jsonl"));
  dir.write("cases/a-demo/case.md", "notes are not inputs\n");
  dir.write("cases/a-demo/args", "--strict\n"); // options only: the case's files are the inputs
  dir.write("cases/b-late-window/expected.jsonl", "");
  dir.write("cases/b-late-window/in/ARGS", "--from 2027-01-01 SecurityAlert.jsonl "
                                           "CloudAppEvents.jsonl DeviceFileEvents.jsonl -\n");
  dir.write("cases/b-late-window/in/STDIN", read_file(DEMO + "/DeviceEvents.jsonl"));
  const std::string text = read_file(DEMO + "/expected.jsonl");
  dir.write("cases/c-wrong/expected.jsonl", text.substr(0, text.find('\n') + 1));
  dir.write("cases/not-a-case/notes.txt", "");

  const CommandResult all = run_usbexfil("test '" + dir.file("cases") + "'");
  EXPECT_EQ(all.exit_code, 1) << all.err;
  const std::string root = dir.file("cases");
  EXPECT_TRUE(contains(all.out, "ok   " + root + "/a-demo (2 findings)\n")) << all.out;
  EXPECT_TRUE(contains(all.out, "ok   " + root + "/b-late-window (0 findings)\n")) << all.out;
  EXPECT_TRUE(contains(all.out, "FAIL " + root +
                                    "/c-wrong: findings differ from expected.jsonl: "
                                    "0 missing, 1 unexpected, 0 changed, 1 equal\n"
                                    "      unexpected: alert "))
      << all.out;
  EXPECT_TRUE(all.out.ends_with("2 passed, 1 failed\n")) << all.out;
  EXPECT_TRUE(contains(all.err, "1 of 3 cases failed")) << all.err;

  const CommandResult one = run_usbexfil("test '" + root + "/a-demo'");
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.out, "ok   " + root + "/a-demo (2 findings)\n1 passed, 0 failed\n");

  const CommandResult none = run_usbexfil("test '" + root + "/not-a-case'");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_TRUE(contains(none.err, "not-a-case: not a case folder (no expected.jsonl)")) << none.err;
}

TEST(Cli, LookbackAndOutputDirWriteOneFindingsFileAndOneRunFilePerWindow) {
  TempDir dir;
  const std::string out = dir.file("out");
  std::filesystem::create_directories(out);
  const std::string args = "run -q" + demo_table_paths() + " --output-dir '" + out + "'";
  const CommandResult first = run_usbexfil(args + " --lookback 1d --now 2026-03-11");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, ""); // the findings go to the folder
  const std::string findings = out + "/findings-20260310T000000Z_20260311T000000Z.jsonl";
  const std::string run_file = out + "/run-20260310T000000Z_20260311T000000Z.json";
  EXPECT_EQ(read_file(findings), read_file(DEMO + "/expected.jsonl"));
  const std::string record = read_file(run_file);
  for (const std::string part :
       {"\"exit_status\": 0", "\"error\": null", "\"from\": \"2026-03-10T00:00:00.0000000Z\"",
        "\"to\": \"2026-03-11T00:00:00.0000000Z\"", "\"table\": \"DeviceEvents\"",
        "\"rows_read\": 108", "\"count\": 2",
        "\"file\": \"findings-20260310T000000Z_20260311T000000Z.jsonl\"",
        // FindingId as docs/operations.md defines it (checked with an independent FNV-1a).
        "\"FindingId\": \"784dbed9e2d1ddfa\"", "\"FindingId\": \"51a45eeb9606dbd1\"",
        "\"name\": \"join_usb_mounts\""}) {
    EXPECT_TRUE(contains(record, part)) << part << "\n" << record;
  }
  // The same window again replaces both files; 90 minutes before noon is another window.
  ASSERT_EQ(run_usbexfil(args + " --lookback 1d --now 2026-03-11T00:00:00Z").exit_code, 0);
  const CommandResult short_window =
      run_usbexfil(args + " --lookback 1h30m --now 2026-03-10T12:00:00Z --format json");
  ASSERT_EQ(short_window.exit_code, 0) << short_window.err;
  EXPECT_TRUE(std::filesystem::exists(out + "/findings-20260310T103000Z_20260310T120000Z.json"));
  EXPECT_TRUE(std::filesystem::exists(out + "/run-20260310T103000Z_20260310T120000Z.json"));
  std::size_t files = 0;
  for (const auto &entry : std::filesystem::directory_iterator(out)) {
    files += entry.path().filename().string().starts_with(".") ? 0 : 1;
  }
  EXPECT_EQ(files, 4u); // no temporary file left behind

  // A run that fails records its error in the run file and leaves the findings alone.
  const CommandResult failed = run_usbexfil("run -q '" + dir.file("absent") + "' --output-dir '" +
                                            out + "' --lookback 1d --now 2026-03-11");
  EXPECT_EQ(failed.exit_code, 2);
  EXPECT_TRUE(contains(read_file(run_file), "\"exit_status\": 2")) << read_file(run_file);
  EXPECT_TRUE(contains(read_file(run_file), "absent: no such file or directory"));
  EXPECT_EQ(read_file(findings), read_file(DEMO + "/expected.jsonl"));
}

TEST(Cli, ASecondRunOnTheSameOutputDirIsRefused) {
  TempDir dir;
  const std::string out = dir.file("out");
  std::filesystem::create_directories(out);
  // flock(1) holds the folder's lock while usbexfil tries it.
  const std::string command = "flock '" + out + "/.usbexfil.lock' '" + USBEXFIL_BINARY + "' run" +
                              demo_table_paths() + " --output-dir '" + out +
                              "' --lookback 1d --now 2026-03-12 2>'" + dir.file("err") + "'";
  const int status = std::system(command.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_TRUE(contains(read_file(dir.file("err")),
                       "usbexfil: error: " + out + ": another usbexfil run is writing this folder"))
      << read_file(dir.file("err"));
  EXPECT_FALSE(std::filesystem::exists(out + "/run-20260311T000000Z_20260312T000000Z.json"));
}

TEST(Cli, NightlyOptionsThatCannotWorkAreUsageErrors) {
  TempDir dir;
  const std::string paths = demo_table_paths();
  for (const std::string &bad : std::vector<std::string>{
           " --lookback 2x", " --lookback 0d", " --lookback 1d --from 2026-03-10",
           " --now 2026-03-11", " --output-dir '" + dir.path().string() + "'",
           " --output-dir '" + dir.file("missing") + "' --lookback 1d",
           " --output-dir '" + dir.path().string() + "' --lookback 1d -o x.jsonl"}) {
    const CommandResult result = run_usbexfil("run" + paths + bad);
    EXPECT_EQ(result.exit_code, 2) << bad;
    EXPECT_TRUE(result.err.starts_with("usbexfil: error: --")) << bad << ": " << result.err;
  }
}

TEST(Cli, LogFileAppendsTimestampedEscapedMessagesWhateverQuietSays) {
  TempDir dir;
  const std::string log = dir.file("usbexfil.log");
  const std::string odd = dir.write("odd\x1b[31m.json", "{}\n");
  for (int i = 0; i < 2; ++i) {
    const CommandResult result =
        run_usbexfil("run -q" + demo_table_paths() + " '" + odd + "' --log-file '" + log + "'");
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.err, ""); // -q keeps stderr quiet; the log has everything
  }
  const std::string text = read_file(log);
  std::size_t summaries = 0;
  for (std::size_t at = text.find("2 findings written"); at != std::string::npos;
       at = text.find("2 findings written", at + 1)) {
    ++summaries;
  }
  EXPECT_EQ(summaries, 2u) << text; // appended, not replaced
  EXPECT_TRUE(contains(text, "odd\\x1b[31m.json")) << text;
  EXPECT_FALSE(contains(text, "\x1b")) << text;
  // 2026-12-04T01:52:58.540203Z [27836] info: SecurityAlert: ...
  const std::string first = text.substr(0, text.find('\n'));
  ASSERT_GT(first.size(), 28u);
  EXPECT_EQ(first[4], '-');
  EXPECT_EQ(first[10], 'T');
  EXPECT_EQ(first[26], 'Z');
  EXPECT_TRUE(contains(first, "] warning: ") || contains(first, "] info: ")) << first;
  EXPECT_FALSE(contains(text, "warning: warning:")) << text; // the level once
  EXPECT_FALSE(contains(text, "error: error:")) << text;
}

TEST(Cli, AProgressLineOnATerminalOnlyAndErasedAtTheEnd) {
  TempDir dir;
  // The alerts come through a pipe whose writer waits a little, so the run lasts while the
  // progress line (shown from USBEXFIL_PROGRESS_DELAY_MS on) is drawn. script(1) gives the run a
  // terminal for stderr.
  const std::string pipe = dir.file("alerts");
  ASSERT_EQ(::mkfifo(pipe.c_str(), 0600), 0);
  const auto on_terminal = [&](const std::string &flags) {
    const std::string inner = "(sleep 0.6; cat '" + DEMO + "/SecurityAlert.jsonl' > '" + pipe +
                              "') & USBEXFIL_PROGRESS_DELAY_MS=0 '" + USBEXFIL_BINARY + "' run " +
                              flags + " --alerts '" + pipe + "' '" + DEMO +
                              "/CloudAppEvents.jsonl' '" + DEMO + "/DeviceFileEvents.jsonl' '" +
                              DEMO + "/DeviceEvents.jsonl' -o /dev/null; wait";
    const std::string command =
        "script -qec \"" + inner + "\" /dev/null > '" + dir.file("tty") + "' 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return read_file(dir.file("tty"));
  };
  const std::string shown = on_terminal("");
  const std::size_t line = shown.find("\rusbexfil: SecurityAlert: ");
  ASSERT_NE(line, std::string::npos) << shown;
  const std::size_t erased = shown.find("\r\x1b[K", line);
  ASSERT_NE(erased, std::string::npos) << shown;
  EXPECT_LT(erased, shown.find("2 findings written")) << shown; // gone before the summary
  EXPECT_EQ(on_terminal("-q").find("\rusbexfil:"), std::string::npos);

  // Not a terminal: never.
  const CommandResult piped =
      run_usbexfil("run" + demo_table_paths() + " -o /dev/null", "USBEXFIL_PROGRESS_DELAY_MS=0");
  EXPECT_EQ(piped.err.find('\r'), std::string::npos) << piped.err;
}

TEST(Cli, ASignalDuringTheRunLeavesNoTemporaryFileAndTheOldOutput) {
  TempDir dir;
  const std::string out = dir.write("out/findings.jsonl", "the old findings\n");
  const std::string pipe = dir.file("alerts");
  ASSERT_EQ(::mkfifo(pipe.c_str(), 0600), 0);
  // The run blocks on the pipe (nobody writes it) with -o's temporary file made; then a signal.
  for (const std::string signal : {"TERM", "HUP"}) {
    const std::string script = "'" + std::string(USBEXFIL_BINARY) + "' run --alerts '" + pipe +
                               "' '" + DEMO + "/CloudAppEvents.jsonl' -o '" + out +
                               "' 2>/dev/null & pid=$!; sleep 0.5; ls -a '" + dir.file("out") +
                               "' > '" + dir.file("during") + "'; kill -" + signal +
                               " $pid; wait $pid; echo $? > '" + dir.file("status") + "'";
    ASSERT_EQ(std::system(script.c_str()), 0);
    EXPECT_TRUE(contains(read_file(dir.file("during")), ".findings.jsonl.tmp-"))
        << "the temporary file should exist while the run waits: " << read_file(dir.file("during"));
    EXPECT_EQ(read_file(dir.file("status")), signal == "TERM" ? "143\n" : "129\n");
    std::size_t entries = 0;
    for (const auto &entry : std::filesystem::directory_iterator(dir.file("out"))) {
      EXPECT_EQ(entry.path().filename(), "findings.jsonl");
      ++entries;
    }
    EXPECT_EQ(entries, 1u);
    EXPECT_EQ(read_file(out), "the old findings\n");
  }
}

TEST(Cli, AClosedStandardOutputEndsTheRunQuietly) {
  TempDir dir;
  // SIGPIPE ignored (as a parent may leave it): the write fails with EPIPE; the run ends with
  // 141, as SIGPIPE would end it, and says nothing. With SIGPIPE as usual, it dies of it.
  for (const std::string trap : {"trap '' PIPE;", ""}) {
    const std::string script = trap + " ('" + std::string(USBEXFIL_BINARY) + "' run" +
                               demo_table_paths() + " 2>'" + dir.file("err") + "'; echo $? >'" +
                               dir.file("status") + "') | true";
    ASSERT_EQ(std::system(script.c_str()), 0);
    EXPECT_EQ(read_file(dir.file("status")), "141\n") << trap;
    EXPECT_EQ(read_file(dir.file("err")), "") << trap;
  }
}
