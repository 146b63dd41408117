// Comparing findings with expected ones (`run --expect FILE`, `usbexfil test`): both sides are
// brought to one canonical form, column by column, so that what does not change a finding's
// meaning does not make a difference: key order, set order, datetime spelling, `_Details` given
// as objects or as the JSON text Sentinel's tostring() writes, counts given as numbers or as
// text, a null string and an empty one (Kusto has no null string).
#pragma once

#include "usbexfil/finding.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace usbexfil {

/// One finding in canonical form: the rule's columns (findings.md), those of the three `_Details`
/// bags spelled `Bag.Key`, each mapped to a canonical JSON text. Keys that are not the rule's
/// (an enrichment, a column Sentinel adds) are left out.
struct ComparableFinding {
  std::map<std::string, std::string, std::less<>> columns;
  std::uint64_t line = 0; ///< where it starts in the expected file (0: a finding of this run)

  /// The whole row, for exact matching.
  std::string text() const;
  /// "2026-03-10T09:12:00.0000000Z megan.bowen@contoso.com from 203.0.113.45 on ws-fin-0142
  /// (USB 2026-03-10T10:31:00.0000000Z)": enough for a person to find it.
  std::string describe() const;
};

/// Reads a file of findings: JSON lines, a JSON array or pretty-printed JSON, a Log Analytics
/// query API response or an advanced hunting response, or a CSV export; compressed or not (the
/// readers of inputs.md). Throws Error naming the file and line for a record that is not a
/// finding, or for a file that cannot be read.
std::vector<ComparableFinding> read_expected_findings(const std::string &path);

/// This run's findings in canonical form.
std::vector<ComparableFinding> comparable_findings(const FindingTable &findings);

/// A finding on both sides whose columns differ.
struct ChangedFinding {
  ComparableFinding expected;
  ComparableFinding actual;
  /// Per differing column: its name, and a readable account of the difference.
  std::vector<std::pair<std::string, std::string>> differences;
};

/// How two sets of findings differ. Findings equal in every column are matched first (as a
/// multiset); of the rest, two with the same alert time, UserId, IPAddress, DeviceId and USB
/// time are the same finding changed; the others are missing or unexpected.
struct FindingsDiff {
  std::size_t equal = 0;
  std::vector<ComparableFinding> missing;    ///< expected, not found
  std::vector<ComparableFinding> unexpected; ///< found, not expected
  std::vector<ChangedFinding> changed;
  bool same() const { return missing.empty() && unexpected.empty() && changed.empty(); }
};

FindingsDiff diff_findings(std::vector<ComparableFinding> expected,
                           std::vector<ComparableFinding> actual);

/// The diff as lines for a person: a headline naming `expected_label` and the counts, then each
/// missing, unexpected and changed finding (at most `max_shown` of each, then a count), a
/// changed one with its differing columns.
std::vector<std::string> format_diff(const FindingsDiff &diff, std::string_view expected_label,
                                     std::size_t max_shown = 20);

} // namespace usbexfil
