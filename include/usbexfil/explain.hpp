// `usbexfil explain`: the rule's funnel, stage by stage, and for each alert that passed stage 1
// the stage at which its chain ended, why, and the nearest candidates (docs/explain.md).
#pragma once

#include "usbexfil/datetime.hpp"
#include "usbexfil/load/inputs.hpp"
#include "usbexfil/load/scan.hpp"
#include "usbexfil/pipeline.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace usbexfil {

/// One line of the funnel: rows into and out of one step of the rule.
struct FunnelStep {
  int stage = 0;     ///< the rule's stage, 1 to 6 (semantics.md)
  std::string step;  ///< a stable name for tools: "alerts_read", "download_groups", ...
  std::string label; ///< what it counts, for people
  bool ran = true;   ///< false: the step's table was not read (an earlier step was empty)
  std::uint64_t rows_in = 0;
  std::uint64_t rows_out = 0;
  std::vector<std::pair<std::string, std::uint64_t>> keys; ///< distinct key values, e.g. users
  double seconds = 0;
};

/// A row group near an alert's chain: what came closest to the next stage.
struct Candidate {
  std::string kind;        ///< "downloads", "copies", "writes", "mount", "finding"
  std::string account;     ///< AccountObjectId (downloads)
  std::string ip;          ///< IPAddress (downloads)
  std::string user;        ///< UserId of downloads, InitiatingProcessAccountUpn of copies/writes
  std::string device;      ///< DeviceName (copies, writes), DeviceId (mount without a copy group)
  std::string drive;       ///< USB_DriveLetter (mount, finding)
  Datetime start;          ///< first TimeGenerated of the group (a mount: its time)
  Datetime end;            ///< last TimeGenerated of the group
  std::uint64_t files = 0; ///< distinct files (names of downloads, paths of copies, matches)
  std::string sample;      ///< one file name or path, to recognise the group by
  std::string note;        ///< what makes it a near miss, for people
};

/// Where one alert's chain ended.
struct AlertVerdict {
  Datetime alert_time;
  std::string alert_name;
  std::string status;
  std::vector<std::string> accounts; ///< AadUserId values of its account entities
  std::vector<std::string> ips;      ///< Address values of its ip entities
  int stage = 1;                     ///< the stage at which the chain ended (6 with findings)
  std::string verdict;               ///< a reason code of docs/explain.md, or "findings"
  std::string reason;                ///< the sentence for people
  std::uint64_t findings = 0;
  std::vector<Candidate> candidates; ///< nearest first, at most EXPLAIN_CANDIDATES
  std::uint64_t more_candidates = 0; ///< candidates not listed
};

/// Candidates listed per alert, at most.
inline constexpr std::size_t EXPLAIN_CANDIDATES = 3;

/// The funnel, the verdicts and what the scans read.
struct Explanation {
  std::vector<FunnelStep> funnel;
  std::vector<AlertVerdict> alerts; ///< alerts that passed stage 1, by time
  std::uint64_t findings = 0;
  std::vector<LoadStats> tables;     ///< one per source table, in load order
  std::vector<std::string> warnings; ///< run-level warnings, as PipelineResult::warnings
  double seconds = 0;
};

/// Runs the rule as run_pipeline does, one scan per table, with each scan's pushed-down filter
/// widened just enough to keep the near misses of the alerts that passed stage 1 (docs/explain.md,
/// "Memory"). Throws Error as run_pipeline does.
Explanation explain_rule(const Inputs &inputs, const PipelineOptions &options);

/// The explanation for people: the funnel as an aligned table, then one block per alert; every
/// value from the data passed through escape_terminal.
std::string format_explanation_text(const Explanation &explanation);

/// The explanation for tools: one JSON document (keys in docs/explain.md), ending in a newline.
std::string format_explanation_json(const Explanation &explanation);

} // namespace usbexfil
