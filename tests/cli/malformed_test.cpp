// Hostile inputs, one case per folder of testdata/malformed/ (generate.py writes the inputs):
// `usbexfil run in [args]` run in the case's folder must exit with expected.status, write exactly
// expected.jsonl, and print every line of expected.stderr somewhere on stderr. Run under the
// sanitizers too (this is part of the test binary every preset builds).
#include "cli/run_command.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

using namespace usbexfil::testing;

namespace {

std::string first_line(const std::string &text) { return text.substr(0, text.find('\n')); }

} // namespace

TEST(Malformed, EveryCaseGivesItsStatusFindingsAndDiagnostics) {
  const std::filesystem::path root = std::filesystem::path(USBEXFIL_TESTDATA_DIR) / "malformed";
  std::size_t cases = 0;
  for (const auto &entry : std::filesystem::directory_iterator(root)) {
    if (!entry.is_directory()) {
      continue;
    }
    ++cases;
    const std::filesystem::path dir = entry.path();
    SCOPED_TRACE(dir.filename().string());
    const std::string args = std::filesystem::exists(dir / "args")
                                 ? first_line(read_file((dir / "args").string()))
                                 : std::string();
    // The run is made from the case's folder, so messages name `in/...` the same everywhere.
    const CommandResult result = run_usbexfil("run in " + args, "cd '" + dir.string() + "' &&");
    EXPECT_EQ(std::to_string(result.exit_code) + "\n",
              read_file((dir / "expected.status").string()))
        << result.err;
    EXPECT_EQ(result.out, read_file((dir / "expected.jsonl").string())) << result.err;
    std::istringstream wanted(read_file((dir / "expected.stderr").string()));
    for (std::string line; std::getline(wanted, line);) {
      EXPECT_NE(result.err.find(line), std::string::npos) << "missing: " << line << "\n"
                                                          << result.err;
    }
    // Whatever went wrong, no message may carry a raw control character.
    for (const char c : result.err) {
      EXPECT_TRUE(c == '\n' || static_cast<unsigned char>(c) >= 0x20) << result.err;
    }
  }
  EXPECT_GE(cases, 15u);
}
