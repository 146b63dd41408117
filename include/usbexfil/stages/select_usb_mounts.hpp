// Stage 5, steps 1 to 3: USB mounts.
#pragma once

#include "usbexfil/table/source_tables.hpp"
#include "usbexfil/table/stage_tables.hpp"

namespace usbexfil {

/// The distinct "UsbDriveMounted" rows (exact) whose DriveLetter is not "".
UsbMountTable select_usb_mounts(const DeviceEventsTable &events);

} // namespace usbexfil
