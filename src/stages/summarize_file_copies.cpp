// Stage 4, steps 2 and 3: copy groups. Same decisions as stage 2: "" is a FolderPath like any
// other (a copy without FolderPath adds "" to the set and the count), the count is exact, and
// min/max skip null times while the row still adds its path.
#include "usbexfil/stages/summarize_file_copies.hpp"

#include "stages/group_by.hpp"

namespace usbexfil {

FileCopyTable summarize_file_copies(const DeviceFileEventsTable &events,
                                    const Selection &selection) {
  using Key = std::tuple<std::string_view, std::string_view, std::string_view, std::string_view,
                         std::string_view>;
  TimeAndSetGroups<Key> groups;
  for (const std::size_t row : selection) {
    groups.add(Key{events.initiating_process_account_upn[row], events.device_id[row],
                   events.device_name[row], events.initiating_process_folder_path[row],
                   events.initiating_process_parent_file_name[row]},
               events.time_generated[row], events.folder_path[row]);
  }
  FileCopyTable copies;
  groups.emit([&](const Key &key, Datetime start, Datetime end, StringSet files) {
    const auto &[upn, device_id, device_name, process_folder, parent] = key;
    copies.push_back(
        {upn, device_id, device_name, process_folder, parent, start, end, std::move(files)});
  });
  return copies;
}

} // namespace usbexfil
