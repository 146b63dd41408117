#include "stage_test_support.hpp"
#include "usbexfil/stages/select_usb_mounts.hpp"

#include <gtest/gtest.h>

using namespace usbexfil;
using namespace usbexfil::testing;

namespace {
void add(DeviceEventsTable &t, std::string_view time, std::string_view action,
         std::string_view letter, std::string_view product = "") {
  t.time_generated.push_back(at(time));
  t.action_type.push_back(action);
  t.device_id.push_back("d1");
  t.drive_letter.push_back(letter);
  t.product_name.push_back(product);
  t.volume.push_back("");
}
} // namespace

TEST(SelectUsbMounts, KeepsDistinctMountsWithADriveLetter) {
  DeviceEventsTable t;
  add(t, "2026-03-10T10:00:00Z", "UsbDriveMounted", "E:");
  add(t, "2026-03-10T10:00:00Z", "UsbDriveMounted", "E:");          // duplicate
  add(t, "2026-03-10T10:00:00Z", "UsbDriveMounted", "E:", "Stick"); // differs in product
  add(t, "2026-03-10T10:00:00Z", "UsbDriveMounted", "");
  add(t, "2026-03-10T10:00:00Z", "UsbDriveMount", "F:");
  add(t, "2026-03-10T10:00:00Z", "UsbDriveUnmounted", "F:");
  const auto mounts = select_usb_mounts(t);
  ASSERT_EQ(mounts.size(), 2u);
  EXPECT_EQ(mounts[1].product_name, "Stick");
}
