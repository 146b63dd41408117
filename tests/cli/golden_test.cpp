// Golden cases: every testdata/cases/<name>/ is run through the CLI (with the options in its
// `args` file, if any) and stdout must equal expected.jsonl byte for byte.
#include "cli/run_command.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace usbexfil::testing;

namespace {

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

} // namespace

TEST(Golden, EveryCaseGivesItsExpectedBytes) {
  const std::filesystem::path root = std::filesystem::path(USBEXFIL_TESTDATA_DIR) / "cases";
  std::size_t cases = 0;
  for (const auto &entry : std::filesystem::directory_iterator(root)) {
    if (!entry.is_directory()) {
      continue;
    }
    ++cases;
    const auto dir = entry.path();
    SCOPED_TRACE(dir.filename().string());
    const std::string args =
        std::filesystem::exists(dir / "args") ? trim(read_file((dir / "args").string())) : "";
    // The case's inputs are every entry but its own description, arguments and expectation, so
    // that a case may run under --strict, which refuses a file it cannot place in a table.
    std::string paths;
    for (const auto &input : std::filesystem::directory_iterator(dir)) {
      const std::string name = input.path().filename().string();
      if (name != "args" && name != "case.md" && name != "expected.jsonl") {
        paths += " '" + input.path().string() + "'";
      }
    }
    const CommandResult result = run_usbexfil("run" + paths + " -q " + args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out, read_file((dir / "expected.jsonl").string()));
  }
  EXPECT_GE(cases, 5u);
}

// testdata/shapes/<case>--<shape>/in: a case of testdata/cases rendered in another export shape
// by scripts/render-shapes; the findings must be the flat case's, byte for byte.
TEST(Golden, EveryShapeGivesItsExpectedBytes) {
  const std::filesystem::path root = std::filesystem::path(USBEXFIL_TESTDATA_DIR) / "shapes";
  std::size_t shapes = 0;
  for (const auto &entry : std::filesystem::directory_iterator(root)) {
    if (!entry.is_directory()) {
      continue;
    }
    ++shapes;
    const auto dir = entry.path();
    SCOPED_TRACE(dir.filename().string());
    const CommandResult result = run_usbexfil("run '" + (dir / "in").string() + "'");
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out, read_file((dir / "expected.jsonl").string()));
    EXPECT_EQ(result.err.find("warning:"), std::string::npos) << result.err;
  }
  EXPECT_GE(shapes, 7u);
}

TEST(Golden, DemoGivesItsExpectedBytes) {
  const std::filesystem::path demo = std::filesystem::path(USBEXFIL_TESTDATA_DIR) / "demo";
  const CommandResult result = run_usbexfil("run '" + demo.string() + "'");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, read_file((demo / "expected.jsonl").string()));
  EXPECT_NE(result.err.find("written in"), std::string::npos);
}
