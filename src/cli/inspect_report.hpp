// The text `usbexfil inspect` prints on stdout: one block per file or archive member.
#pragma once

#include "usbexfil/inspect.hpp"

#include <string>

namespace usbexfil::cli {

/// The inspection as text for a person: per file, how it is read and where its rows go; per
/// table it feeds, rows, the TimeGenerated range and the rule's columns that are missing or
/// always empty.
std::string format_inspection(const Inspection &inspection);

} // namespace usbexfil::cli
