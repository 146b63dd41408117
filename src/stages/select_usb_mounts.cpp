// Stage 5, steps 1 to 3. ActionType is exact ("UsbDriveMount", the old name, is not a mount).
// DriveLetter, ProductName and Volume are tostring() of AdditionalFields properties, read by the
// loader; a mount whose AdditionalFields is not JSON, null, or has no or an empty DriveLetter is
// dropped. Mounts are made distinct: equal mounts would give equal USB_Details and so the same
// finding group in stage 6.
#include "usbexfil/stages/select_usb_mounts.hpp"

#include "stages/hashing.hpp"
#include "usbexfil/table/columns.hpp"

#include <unordered_set>

namespace usbexfil {

UsbMountTable select_usb_mounts(const DeviceEventsTable &events) {
  using Key =
      std::tuple<Datetime, std::string_view, std::string_view, std::string_view, std::string_view>;
  std::unordered_set<Key, TupleHash> seen;
  UsbMountTable mounts;
  for (std::size_t row = 0; row < events.size(); ++row) {
    if (events.action_type[row] != column::ACTION_USB_DRIVE_MOUNTED ||
        events.drive_letter[row].empty()) {
      continue;
    }
    const UsbMount mount{events.time_generated[row], events.device_id[row],
                         events.drive_letter[row], events.product_name[row], events.volume[row]};
    if (seen.emplace(mount.time, mount.device_id, mount.drive_letter, mount.product_name,
                     mount.volume)
            .second) {
      mounts.push_back(mount);
    }
  }
  return mounts;
}

} // namespace usbexfil
