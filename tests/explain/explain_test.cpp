// usbexfil explain: one small case per verdict of docs/explain.md (testdata/explain/<verdict>/,
// made by make-cases.py), the demo day's text, the JSON document, and the findings explain counts
// against run's on every golden case.
#include "cli/run_command.hpp"
#include "explain/explain_internal.hpp"
#include "usbexfil/explain.hpp"
#include "usbexfil/pipeline.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>

using namespace usbexfil::testing;
namespace fs = std::filesystem;

namespace {

const fs::path EXPLAIN_DIR = fs::path(USBEXFIL_TESTDATA_DIR) / "explain";

/// The text output with the funnel's times (the one thing that varies) replaced by "- ms".
std::string without_times(const std::string &text) {
  const auto digit = [&](std::size_t i) {
    return i < text.size() && text[i] >= '0' && text[i] <= '9';
  };
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t j = i;
    while (digit(j)) {
      ++j;
    }
    if (j > i && (i == 0 || !digit(i - 1)) && text.compare(j, 1, ".") == 0 && digit(j + 1) &&
        text.compare(j + 2, 3, " ms") == 0) {
      out += "- ms";
      i = j + 5;
    } else {
      out += text[i];
      ++i;
    }
  }
  return out;
}

std::vector<fs::path> reason_cases() {
  std::vector<fs::path> cases;
  for (const auto &entry : fs::directory_iterator(EXPLAIN_DIR)) {
    if (entry.is_directory() && fs::exists(entry.path() / "in")) {
      cases.push_back(entry.path());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

/// The verdict each case is made for: its folder's name (the escaping case ends at stage 2).
std::string expected_verdict(const fs::path &dir) {
  const std::string name = dir.filename().string();
  return name == "escaped-values" ? "no-downloads" : name;
}

} // namespace

TEST(Explain, EveryReasonHasItsCase) {
  std::vector<std::string> names;
  for (const fs::path &dir : reason_cases()) {
    names.push_back(expected_verdict(dir));
  }
  for (const char *reason : {"no-entity-pair", "no-downloads", "downloads-after-alert", "no-copies",
                             "copies-before-alert", "no-mounts", "mounts-before-alert",
                             "no-path-on-drive", "findings"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), reason), names.end()) << reason;
  }
}

TEST(Explain, EveryReasonCaseGivesItsExpectedText) {
  for (const fs::path &dir : reason_cases()) {
    SCOPED_TRACE(dir.filename().string());
    for (const char *threads : {"1", "3"}) {
      const CommandResult result =
          run_usbexfil("explain '" + (dir / "in").string() + "' -q -j " + threads);
      EXPECT_EQ(result.exit_code, 0) << result.err;
      EXPECT_EQ(without_times(result.out), read_file((dir / "expected.txt").string()));
      EXPECT_NE(result.out.find("   " + expected_verdict(dir) + ": "), std::string::npos);
    }
  }
}

TEST(Explain, DemoDayGivesItsExpectedText) {
  const CommandResult result =
      run_usbexfil("explain '" + std::string(USBEXFIL_TESTDATA_DIR) + "/demo' -q --chunk-size 64");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(without_times(result.out), read_file((EXPLAIN_DIR / "demo.expected.txt").string()));
}

TEST(Explain, ControlCharactersFromTheDataAreEscapedInText) {
  const CommandResult result =
      run_usbexfil("explain '" + (EXPLAIN_DIR / "escaped-values" / "in").string() + "' -q");
  EXPECT_EQ(result.out.find('\x1b'), std::string::npos);
  EXPECT_NE(result.out.find("\\x1b[31m"), std::string::npos) << result.out;
}

TEST(Explain, JsonIsOneDocumentWithTheFunnelAndTheVerdicts) {
  simdjson::dom::parser parser;
  for (const fs::path &dir : reason_cases()) {
    SCOPED_TRACE(dir.filename().string());
    const CommandResult result =
        run_usbexfil("explain '" + (dir / "in").string() + "' -q --format json");
    ASSERT_EQ(result.exit_code, 0) << result.err;
    simdjson::dom::element doc;
    ASSERT_FALSE(parser.parse(result.out).get(doc)) << result.out;
    simdjson::dom::array funnel;
    ASSERT_FALSE(doc["funnel"].get(funnel));
    EXPECT_EQ(funnel.size(), 13u);
    simdjson::dom::array alerts;
    ASSERT_FALSE(doc["alerts"].get(alerts));
    ASSERT_EQ(alerts.size(), 1u);
    std::string_view verdict;
    ASSERT_FALSE(alerts.at(0)["verdict"].get(verdict));
    EXPECT_EQ(verdict, expected_verdict(dir));
    std::uint64_t findings = 0;
    ASSERT_FALSE(doc["findings"].get(findings));
    EXPECT_EQ(findings, verdict == "findings" ? 1u : 0u);
  }
}

TEST(Explain, UnknownFormatIsAUsageError) {
  const CommandResult result =
      run_usbexfil("explain '" + std::string(USBEXFIL_TESTDATA_DIR) + "/demo' --format xml");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(result.out.empty());
}

TEST(Explain, HelpListsRunsScanOptions) {
  const CommandResult result = run_usbexfil("help explain");
  EXPECT_EQ(result.exit_code, 0);
  for (const char *option : {"--alerts", "--from", "--to", "--strict", "--chunk-size",
                             "--max-record-size", "--threads", "--format", "--output"}) {
    EXPECT_NE(result.out.find(option), std::string::npos) << option;
  }
}

// explain runs the rule with widened scans; its findings must be run's on every golden case and
// the demo, whatever the threads and chunk size.
TEST(Explain, FindingsEqualRunsOnEveryGoldenCase) {
  std::vector<fs::path> dirs{fs::path(USBEXFIL_TESTDATA_DIR) / "demo"};
  for (const auto &entry : fs::directory_iterator(fs::path(USBEXFIL_TESTDATA_DIR) / "cases")) {
    if (entry.is_directory() && !fs::exists(entry.path() / "args")) {
      dirs.push_back(entry.path());
    }
  }
  ASSERT_GE(dirs.size(), 5u);
  for (const fs::path &dir : dirs) {
    SCOPED_TRACE(dir.filename().string());
    usbexfil::InputSpec spec;
    for (const auto &input : fs::directory_iterator(dir)) {
      const std::string name = input.path().filename().string();
      if (name != "case.md" && name != "expected.jsonl" && name != "README.md" &&
          name != "generate.py") {
        spec.paths.push_back(input.path().string());
      }
    }
    const usbexfil::Inputs inputs = usbexfil::resolve_inputs(spec);
    for (const unsigned threads : {1u, 3u}) {
      usbexfil::PipelineOptions options;
      options.scan.threads = threads;
      options.scan.min_bytes_per_thread = 1;
      options.scan.chunk_size = threads == 1 ? std::size_t{2} << 20 : 64;
      const auto run = usbexfil::run_pipeline(inputs, options);
      const auto explanation = usbexfil::explain_rule(inputs, options);
      EXPECT_EQ(explanation.findings, run.findings.size());
      std::uint64_t per_alert = 0;
      for (const usbexfil::AlertVerdict &verdict : explanation.alerts) {
        per_alert += verdict.findings;
        EXPECT_EQ(verdict.verdict == "findings", verdict.findings > 0);
      }
      EXPECT_GE(per_alert, explanation.findings); // equal alerts claim the same findings
      EXPECT_EQ(explanation.funnel.back().rows_out, run.findings.size());
    }
  }
}

TEST(Explain, CaseVariantsAreTheSpellingsTheScanLooksFor) {
  const std::vector<std::string> variants =
      usbexfil::explain::case_variants("Avery.Lee@contoso.com");
  EXPECT_NE(std::find(variants.begin(), variants.end(), "avery.lee@contoso.com"), variants.end());
  EXPECT_NE(std::find(variants.begin(), variants.end(), "AVERY.LEE@CONTOSO.COM"), variants.end());
  EXPECT_EQ(std::find(variants.begin(), variants.end(), "Avery.Lee@contoso.com"), variants.end());
  const std::vector<std::string> lower = usbexfil::explain::case_variants("avery.lee@contoso.com");
  EXPECT_NE(std::find(lower.begin(), lower.end(), "Avery.Lee@contoso.com"), lower.end());
  EXPECT_NE(std::find(lower.begin(), lower.end(), "Avery.Lee@Contoso.Com"), lower.end());
}
