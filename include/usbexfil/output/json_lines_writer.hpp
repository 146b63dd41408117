// Findings as JSON lines (findings.md): keys in the rule's order, datetimes with seven fractional
// digits and "Z", sets sorted by bytes, findings sorted so that equal input gives equal bytes.
#pragma once

#include "usbexfil/finding.hpp"

#include <string>

namespace usbexfil {

/// One finding as a single-line JSON object (no line end).
std::string format_finding(const Finding &finding);

/// All findings, one per line, sorted by Alert_TimeGenerated, UserId, DeviceId,
/// USB_TimeGenerated and then the line itself.
std::string render_json_lines(const FindingTable &findings);

} // namespace usbexfil
