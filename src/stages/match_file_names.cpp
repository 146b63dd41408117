// Stage 4, step 1: `ActionType in ("FileCreated", "FileRenamed")` (exact) and
// `FileName in~ (CA_FileList)`. `in~` folds ASCII letters only: "Ä" and "ä" differ. A FileName
// of "" matches when "" is in the list (a download without SourceFileName put it there).
#include "usbexfil/stages/match_file_names.hpp"

#include "usbexfil/table/columns.hpp"

namespace usbexfil {

Selection match_file_names(const DeviceFileEventsTable &events, const FileList &file_list) {
  Selection selected;
  for (std::size_t row = 0; row < events.size(); ++row) {
    const std::string_view action = events.action_type[row];
    if ((action == column::ACTION_FILE_CREATED || action == column::ACTION_FILE_RENAMED) &&
        file_list.contains(events.file_name[row])) {
      selected.push_back(row);
    }
  }
  return selected;
}

} // namespace usbexfil
