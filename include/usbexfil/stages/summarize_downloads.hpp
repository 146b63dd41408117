// Stage 2: download summaries (semantics.md, stage 2).
#pragma once

#include "usbexfil/table/source_tables.hpp"
#include "usbexfil/table/stage_tables.hpp"

namespace usbexfil {

/// Groups the "FileDownloaded" rows by (Application, AccountObjectId, UserId, IPAddress, City,
/// CountryCode) with min/max TimeGenerated (nulls skipped) and the exact set of file names.
DownloadSummaryTable summarize_downloads(const CloudAppEventsTable &events);

} // namespace usbexfil
