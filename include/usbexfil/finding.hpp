// One row of the rule's final result (findings.md). A finding is self-contained: it copies the
// three summaries it reports, so it can outlive the stage tables' indices.
#pragma once

#include "usbexfil/table/stage_tables.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace usbexfil {

/// One write of a matched file (a DeviceFileEvents row of the finding's copy group).
struct FileCopyEvent {
  Datetime time;                ///< TimeGenerated
  std::string_view action_type; ///< FileCreated or FileRenamed
  std::string_view file_size;   ///< tostring(FileSize): "" where the table has none
  std::string_view sha256;      ///< tostring(SHA256)
};

/// A matched file with its writes, oldest first.
struct MatchedFileCopies {
  std::string_view folder_path;
  std::vector<FileCopyEvent> copies;
};

/// The drive as a UsbDriveMounted row's AdditionalFields describe it.
struct UsbDrive {
  std::string_view serial_number;
  std::string_view manufacturer;
  std::string_view product_name;
  std::string_view product_revision;
  std::string_view bus_type;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 flags the 0 of a defaulted <=> itself
  friend auto operator<=>(const UsbDrive &, const UsbDrive &) = default;
};

/// `--enrich`: what an analyst needs next and the rule's 17 columns drop (docs/cli.md,
/// "Enrichment"). Strings point into the pipeline's tables.
struct Enrichment {
  std::string finding_id;                         ///< finding_id(): the chain's stable id
  std::vector<std::string_view> system_alert_ids; ///< sorted, distinct: the alerts of the chain
  std::vector<UsbDrive> usb_drives;               ///< sorted, distinct: the mount rows' drives
  std::vector<MatchedFileCopies> matched_files;   ///< in USB_Drive_MatchedFiles order
};

/// One finding, with the columns of findings.md.
struct Finding {
  Datetime alert_time;          ///< Alert_TimeGenerated
  Datetime usb_time;            ///< USB_TimeGenerated
  std::string_view user_id;     ///< UserId
  std::string_view aad_user_id; ///< AADUserId
  std::string_view device_id;   ///< DeviceId
  std::string_view device_name; ///< DeviceName
  std::string_view ip_address;  ///< IPAddress
  DownloadSummary downloads;    ///< CloudAppEvents_Details
  FileCopySummary copies;       ///< DeviceFileEvents_Details
  UsbMount mount;               ///< USB_Details
  StringSet matched_files;      ///< USB_Drive_MatchedFiles
  std::string_view initiating_process_file_name;
  std::string_view initiating_process_folder_path;
  std::string_view host_name;
  std::string_view host_name_domain;
  std::string_view account_name;
  std::string_view account_upn_suffix;
  std::optional<Enrichment> enrichment; ///< with --enrich only
};

/// The findings, in the order findings.md specifies once `sort_findings` has run.
using FindingTable = std::vector<Finding>;

/// Puts findings in the order of findings.md: by Alert_TimeGenerated, UserId, DeviceId,
/// USB_TimeGenerated, then the JSON line itself, so that the same input always gives the same
/// bytes. run_pipeline returns its findings sorted; every output format writes them so.
void sort_findings(FindingTable &findings);

} // namespace usbexfil
