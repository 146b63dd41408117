// `--enrich` (docs/cli.md, "Enrichment"): per finding, the pivots the rule's 17 columns drop,
// looked up in the rows the pipeline loaded for it. Computing them never changes a finding.
#pragma once

#include "usbexfil/finding.hpp"
#include "usbexfil/table/source_tables.hpp"

namespace usbexfil {

/// The loaded rows the findings came from.
struct EnrichmentSources {
  const SecurityAlertTable &alerts;
  const DeviceFileEventsTable &file_events;
  const Selection &copy_rows; ///< the rows of `file_events` stage 4 grouped (match_file_names)
  const DeviceEventsTable &device_events;
};

/// Sets `enrichment` of every finding:
/// - `finding_id`: finding_id(finding);
/// - `system_alert_ids`: SystemAlertId of every rule alert (is_rule_alert) whose TimeGenerated is
///   Alert_TimeGenerated and whose Entities give the (IPAddress, AADUserId) pair, distinct and
///   sorted, empty ones left out (alerts with the same time and pair are one row in stage 1, so
///   one finding);
/// - `usb_drives`: the distinct drives (SerialNumber, Manufacturer, ProductName, ProductRevision,
///   BusType of AdditionalFields) of the UsbDriveMounted rows that give the finding's mount;
/// - `matched_files`: per USB_Drive_MatchedFiles path, the distinct writes of it in the finding's
///   copy group (same five group columns and FolderPath), oldest first.
void enrich_findings(FindingTable &findings, const EnrichmentSources &sources);

} // namespace usbexfil
