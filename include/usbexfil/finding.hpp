// One row of the rule's final result (findings.md). A finding is self-contained: it copies the
// three summaries it reports, so it can outlive the stage tables' indices.
#pragma once

#include "usbexfil/table/stage_tables.hpp"

#include <string_view>
#include <vector>

namespace usbexfil {

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
};

/// The findings, in the order findings.md specifies once `sort_findings` has run.
using FindingTable = std::vector<Finding>;

/// Puts findings in the order of findings.md: by Alert_TimeGenerated, UserId, DeviceId,
/// USB_TimeGenerated, then the JSON line itself, so that the same input always gives the same
/// bytes. run_pipeline returns its findings sorted; every output format writes them so.
void sort_findings(FindingTable &findings);

} // namespace usbexfil
