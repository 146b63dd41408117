// What the stages produce. Stage outputs are small (groups and join pairs, not events), so they
// are vectors of plain row structs; strings are views into the source tables' pools, or into the
// stage table's own pool where a stage makes new strings.
#pragma once

#include "usbexfil/datetime.hpp"
#include "usbexfil/string_pool.hpp"

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace usbexfil {

/// A sorted set of distinct strings (make_set, with the order findings.md asks for).
using StringSet = std::vector<std::string_view>;

/// Stage 1: one row per (alert, ip value, account value).
struct AlertEntity {
  Datetime alert_time;          ///< Alert_TimeGenerated
  std::string_view ip_address;  ///< IpAddress = tostring(e.Address) of an "ip" entity
  std::string_view aad_user_id; ///< AADUserId = tostring(e.AadUserId) of an "account" entity
  friend bool operator==(const AlertEntity &, const AlertEntity &) = default;
};
struct AlertEntityTable {
  std::vector<AlertEntity> rows; ///< distinct
  StringPool pool;
  std::size_t size() const { return rows.size(); }
};

/// Stage 2: one row per download group.
struct DownloadSummary {
  std::string_view application;
  std::string_view account_object_id;
  std::string_view user_id;
  std::string_view ip_address;
  std::string_view city;
  std::string_view country_code;
  Datetime start_time; ///< CloudAppEvent_StartTime
  Datetime end_time;   ///< CloudAppEvent_EndTime
  StringSet files;     ///< CloudAppEvent_Files; FileCount is files.size()
};
using DownloadSummaryTable = std::vector<DownloadSummary>;

/// Stage 3: an alert row joined to a download group that ended by the alert time.
struct AlertDownload {
  Datetime alert_time;
  std::size_t download; ///< index into the DownloadSummaryTable
};
using AlertDownloadTable = std::vector<AlertDownload>;

/// Stage 3's file list: downloaded names, ASCII-folded, for the `in~` test of stage 4.
struct FileList {
  std::unordered_set<std::string> folded_names;
  bool contains(std::string_view file_name) const;
  bool empty() const { return folded_names.empty(); }
};

/// Stage 4: one row per copy group.
struct FileCopySummary {
  std::string_view initiating_process_account_upn;
  std::string_view device_id;
  std::string_view device_name;
  std::string_view initiating_process_folder_path;
  std::string_view initiating_process_parent_file_name;
  Datetime start_time; ///< DeviceFileEvent_StartTime
  Datetime end_time;   ///< DeviceFileEvent_EndTime
  StringSet files;     ///< DeviceFileEvent_Files; the count is files.size()
};
using FileCopyTable = std::vector<FileCopySummary>;

/// Stage 4's join: an AlertDownload row with a copy group of the same user after the alert.
struct AlertCopy {
  std::size_t alert_download; ///< index into the AlertDownloadTable
  std::size_t copy;           ///< index into the FileCopyTable
};
using AlertCopyTable = std::vector<AlertCopy>;

/// Stage 5: one distinct USB mount with a drive letter.
struct UsbMount {
  Datetime time; ///< USB_TimeGenerated
  std::string_view device_id;
  std::string_view drive_letter;
  std::string_view product_name;
  std::string_view volume;
  friend bool operator==(const UsbMount &, const UsbMount &) = default;
};
using UsbMountTable = std::vector<UsbMount>;

/// Stage 5's join: an AlertCopy row with a mount on the same device at or after the alert.
struct AlertMount {
  std::size_t alert_copy; ///< index into the AlertCopyTable
  std::size_t mount;      ///< index into the UsbMountTable
};
using AlertMountTable = std::vector<AlertMount>;

} // namespace usbexfil
