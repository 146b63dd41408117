#include "stage_test_support.hpp"
#include "usbexfil/stages/join_usb_mounts.hpp"

#include <gtest/gtest.h>

using namespace usbexfil;
using namespace usbexfil::testing;

TEST(JoinUsbMounts, JoinsOnDeviceWhenTheMountIsAtOrAfterTheAlert) {
  const AlertDownloadTable alert_downloads = {{at("2026-03-10T10:00:00Z"), 0}};
  FileCopyTable copies(1);
  copies[0].device_id = "d1";
  const AlertCopyTable alert_copies = {{0, 0}};
  const UsbMountTable mounts = {
      {at("2026-03-10T10:00:00Z"), "d1", "E:", "", ""}, // at the alert: kept
      {at("2026-03-10T09:00:00Z"), "d1", "F:", "", ""}, // before: dropped
      {at("2026-03-10T11:00:00Z"), "d2", "E:", "", ""}, // other device
      {Datetime::null(), "d1", "G:", "", ""},           // no time: never joins
      {at("2026-03-10T12:00:00Z"), "d1", "E:", "", ""}, // mounted again: kept
  };
  const auto joined = join_usb_mounts(alert_copies, alert_downloads, copies, mounts);
  ASSERT_EQ(joined.size(), 2u);
  EXPECT_EQ(joined[0].mount, 0u);
  EXPECT_EQ(joined[1].mount, 4u);
}
