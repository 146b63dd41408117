// A finding's stable identity, for de-duplicating findings of overlapping windows downstream
// (docs/operations.md, "FindingId").
#pragma once

#include "usbexfil/finding.hpp"

#include <string>

namespace usbexfil {

/// 16 lowercase hex digits: FNV-1a (64 bit) over the values that tell one finding from another
/// (stage 6 groups on them: semantics.md), each as the findings write it (datetimes with seven
/// fractional digits and Z) preceded by its length in bytes in decimal and a colon
/// (`28:2026-03-10T09:12:44.5823417Z28:...`), in this order: Alert_TimeGenerated,
/// USB_TimeGenerated, UserId, AADUserId, IPAddress, DeviceId, DeviceName; CloudAppEvents_Details'
/// Application, City, CountryCode; DeviceFileEvents_Details' InitiatingProcessFolderPath,
/// InitiatingProcessParentFileName; USB_Details' USB_DriveLetter, USB_ProductName, USB_Volume.
/// These are the keys of the chain's groups; the groups' times, file sets and counts are not
/// part of it, so a finding keeps its id when a longer window adds downloads or copies to it,
/// and no two findings of one run share an id.
std::string finding_id(const Finding &finding);

} // namespace usbexfil
