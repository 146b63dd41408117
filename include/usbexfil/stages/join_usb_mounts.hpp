// Stage 5, step 4: copies joined to mounts by device.
#pragma once

#include "usbexfil/table/stage_tables.hpp"

namespace usbexfil {

/// Inner join on DeviceId (exact), keeping mounts at or after the alert.
AlertMountTable join_usb_mounts(const AlertCopyTable &alert_copies,
                                const AlertDownloadTable &alert_downloads,
                                const FileCopyTable &copies, const UsbMountTable &mounts);

} // namespace usbexfil
