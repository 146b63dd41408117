// Stage 4, step 4: downloads joined to copies by user.
#pragma once

#include "usbexfil/table/stage_tables.hpp"

namespace usbexfil {

/// Inner join on UserId == InitiatingProcessAccountUpn (exact), keeping pairs whose copy group
/// started at or after the alert.
AlertCopyTable join_file_copies(const AlertDownloadTable &alert_downloads,
                                const DownloadSummaryTable &downloads, const FileCopyTable &copies);

} // namespace usbexfil
