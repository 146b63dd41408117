// Stage 6: files on the drive, and the finding (semantics.md, stage 6).
#pragma once

#include "usbexfil/finding.hpp"
#include "usbexfil/table/stage_tables.hpp"

#include <string_view>

namespace usbexfil {

/// The joined tables stage 6 reads; each index in one refers into the next.
struct JoinedTables {
  const AlertMountTable &alert_mounts;
  const AlertCopyTable &alert_copies;
  const AlertDownloadTable &alert_downloads;
  const DownloadSummaryTable &downloads;
  const FileCopyTable &copies;
  const UsbMountTable &mounts;
};

/// One finding per joined row that has at least one copied path starting with the mount's
/// drive letter (ASCII case ignored), with the derived columns filled in.
FindingTable filter_drive_letter_prefix(const JoinedTables &joined);

/// `tostring(split(path, "\\")[-1])`: the part after the last backslash.
std::string_view last_backslash_part(std::string_view path);
/// `split(DeviceName, ".")[0]`.
std::string_view host_name(std::string_view device_name);
/// `substring(DeviceName, indexof(DeviceName, ".") + 1)`: after the first dot, or all of it.
std::string_view host_name_domain(std::string_view device_name);
/// `split(UserId, "@")[0]`.
std::string_view account_name(std::string_view user_id);
/// `split(UserId, "@")[1]`: between the first and second "@", or "" without "@".
std::string_view account_upn_suffix(std::string_view user_id);

} // namespace usbexfil
