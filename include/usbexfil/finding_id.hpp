// A finding's stable identity, for de-duplicating findings of overlapping windows downstream
// (docs/operations.md, "FindingId").
#pragma once

#include "usbexfil/finding.hpp"

#include <string>

namespace usbexfil {

/// 16 lowercase hex digits: FNV-1a (64 bit) over, for each of Alert_TimeGenerated,
/// USB_TimeGenerated, UserId, AADUserId, IPAddress and DeviceId in this order, the value as the
/// findings write it (datetimes with seven fractional digits and Z) preceded by its length in
/// bytes in decimal and a colon: `28:2026-03-10T09:12:44.5823417Z28:...`. These columns are the
/// chain (the alert, the account, the device, the mount); the summaries are not part of it, so
/// a finding keeps its id when a longer window adds downloads or copies to it.
std::string finding_id(const Finding &finding);

} // namespace usbexfil
