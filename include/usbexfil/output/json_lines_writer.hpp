// Findings as JSON lines (findings.md): keys in the rule's order, datetimes with seven fractional
// digits and "Z", sets sorted by bytes, findings sorted so that equal input gives equal bytes.
#pragma once

#include "usbexfil/finding.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace usbexfil {

/// One finding as a single-line JSON object (no line end).
std::string format_finding(const Finding &finding);

/// Receives the output in consecutive pieces.
using OutputSink = std::function<void(std::string_view)>;

/// All findings, one per line, sorted by Alert_TimeGenerated, UserId, DeviceId,
/// USB_TimeGenerated and then the line itself, handed to `sink` in pieces of about 64 KiB: the
/// output is never held whole in memory.
void write_json_lines(const FindingTable &findings, const OutputSink &sink);

/// The same lines as one string.
std::string render_json_lines(const FindingTable &findings);

} // namespace usbexfil
