// Stage 3: alerts joined to downloads, and the global file list (semantics.md, stage 3).
#pragma once

#include "usbexfil/table/stage_tables.hpp"

namespace usbexfil {

/// Inner join on AADUserId == AccountObjectId and IpAddress == IPAddress (exact), keeping pairs
/// whose download group ended at or before the alert (a null time on either side drops the pair).
AlertDownloadTable join_alerts_to_downloads(const AlertEntityTable &alerts,
                                            const DownloadSummaryTable &downloads);

/// The union of the file sets of all joined download groups, across all users.
FileList make_file_list(const AlertDownloadTable &joined, const DownloadSummaryTable &downloads);

} // namespace usbexfil
