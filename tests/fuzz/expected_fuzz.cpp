// Fuzz target: the expected-findings reader (src/check/expected_findings.cpp, `run --expect`,
// `usbexfil test`) on an arbitrary file: JSON lines, arrays, API responses, CSV, compressed.
// Checks: it returns findings or throws usbexfil::Error (a file that is not findings), never
// another exception or a crash; reading is deterministic, the findings it reads diff as equal to
// themselves, and format_diff of them against nothing never crashes.
#include "fuzz_support.hpp"
#include "usbexfil/check/expected_findings.hpp"
#include "usbexfil/error.hpp"

#include <cstdint>
#include <string>

using namespace usbexfil;

namespace {

const fuzz::ScratchFile &scratch() {
  static const fuzz::ScratchFile file("expected.jsonl");
  return file;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string &path =
      scratch().write(std::string_view(reinterpret_cast<const char *>(data), size));
  std::vector<ComparableFinding> findings;
  try {
    findings = read_expected_findings(path);
  } catch (const Error &) {
    return 0;
  }
  const std::vector<ComparableFinding> again = read_expected_findings(path);
  FUZZ_CHECK(findings.size() == again.size(), "reading twice gives other findings");
  for (std::size_t i = 0; i < findings.size(); ++i) {
    FUZZ_CHECK(findings[i].text() == again[i].text(), "reading twice gives other findings");
    (void)findings[i].describe();
  }
  const FindingsDiff diff = diff_findings(findings, again);
  FUZZ_CHECK(diff.same() && diff.equal == findings.size(), "findings differ from themselves");
  (void)format_diff(diff_findings(findings, {}), "fuzz.jsonl");
  return 0;
}
