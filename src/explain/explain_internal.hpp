// What explain_rule hands the verdicts: the stage tables run_pipeline builds, and the near misses
// its filters drop.
#pragma once

#include "usbexfil/explain.hpp"
#include "usbexfil/table/source_tables.hpp"
#include "usbexfil/table/stage_tables.hpp"

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace usbexfil::explain {

/// FileCreated/FileRenamed rows of a stage-3 user that stage 4 does not group: listed names by a
/// UPN that equals a user's only ignoring case, or unlisted names by the user's exact UPN.
struct WriteGroup {
  std::string_view upn;
  std::string_view device_id;
  std::string_view device_name;
  bool listed = false; ///< true: listed names under another spelling of the UPN
  Datetime start;
  Datetime end;
  std::uint64_t files = 0; ///< distinct FolderPath values
  std::string_view sample; ///< the first FolderPath in byte order
};

/// The rule's tables as explain_rule builds them; strings point into the tables' pools.
struct RuleTables {
  SecurityAlertTable alerts;            ///< every alert of the window
  std::vector<std::size_t> rule_alerts; ///< rows that pass stage 1's name and status test
  AlertEntityTable entities;
  DownloadSummaryTable downloads;       ///< groups of alerted (account, IP) pairs: run's
  DownloadSummaryTable other_downloads; ///< the alerted accounts' groups from other IPs
  StringPool download_strings;
  AlertDownloadTable alert_downloads;
  FileList file_list;
  FileCopyTable copies; ///< run's
  std::vector<WriteGroup> writes;
  StringPool copy_strings;
  AlertCopyTable alert_copies;
  DeviceEventsTable device_events;
  UsbMountTable mounts;
  AlertMountTable alert_mounts;
};

/// Other spellings of `text` a pushed-down exact test can look for: all lower case, all upper
/// case, each name part capitalised, and only the part before "@" capitalised.
std::vector<std::string> case_variants(std::string_view text);

/// Fills `tables.writes` from the rows stage 4 does not group (see WriteGroup).
void collect_writes(const DeviceFileEventsTable &events, const FileList &file_list,
                    const std::unordered_set<std::string_view> &users, RuleTables &tables);

/// One verdict per alert that passed stage 1, by alert time.
std::vector<AlertVerdict> alert_verdicts(const RuleTables &tables);

/// A datetime for people: ISO 8601 in UTC, the fraction without trailing zeros.
std::string when(Datetime time);

} // namespace usbexfil::explain
