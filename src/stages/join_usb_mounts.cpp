// Stage 5, step 4: `join kind=inner (...) on DeviceId` then
// `USB_TimeGenerated >= Alert_TimeGenerated`. A mount without a readable time never joins.
// Nothing compares the mount time with the copy times: copies made before the mount count.
#include "usbexfil/stages/join_usb_mounts.hpp"

#include <unordered_map>
#include <vector>

namespace usbexfil {

AlertMountTable join_usb_mounts(const AlertCopyTable &alert_copies,
                                const AlertDownloadTable &alert_downloads,
                                const FileCopyTable &copies, const UsbMountTable &mounts) {
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_device;
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    by_device[mounts[i].device_id].push_back(i);
  }
  AlertMountTable joined;
  for (std::size_t i = 0; i < alert_copies.size(); ++i) {
    const AlertCopy &left = alert_copies[i];
    const auto found = by_device.find(copies[left.copy].device_id);
    if (found == by_device.end()) {
      continue;
    }
    const Datetime alert_time = alert_downloads[left.alert_download].alert_time;
    for (const std::size_t mount : found->second) {
      if (mounts[mount].time >= alert_time) {
        joined.push_back({i, mount});
      }
    }
  }
  return joined;
}

} // namespace usbexfil
