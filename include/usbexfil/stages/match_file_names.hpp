// Stage 4, step 1: which DeviceFileEvents rows are copies of downloaded files.
#pragma once

#include "usbexfil/table/source_tables.hpp"
#include "usbexfil/table/stage_tables.hpp"

namespace usbexfil {

/// Rows with ActionType exactly "FileCreated" or "FileRenamed" whose FileName is in the file
/// list, ignoring the case of ASCII letters only.
Selection match_file_names(const DeviceFileEventsTable &events, const FileList &file_list);

} // namespace usbexfil
