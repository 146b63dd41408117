// Stage 4, steps 2 and 3: copy groups.
#pragma once

#include "usbexfil/table/source_tables.hpp"
#include "usbexfil/table/stage_tables.hpp"

namespace usbexfil {

/// Groups the selected rows by (InitiatingProcessAccountUpn, DeviceId, DeviceName,
/// InitiatingProcessFolderPath, InitiatingProcessParentFileName) with min/max TimeGenerated and
/// the exact set of FolderPath values.
FileCopyTable summarize_file_copies(const DeviceFileEventsTable &events,
                                    const Selection &selection);

} // namespace usbexfil
