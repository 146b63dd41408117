// The one scan explain reads differently from run: CloudAppEvents downloads by the alerted
// accounts from any IP address (run keeps only the alerted (account, IP) pairs), so that an
// alert without downloads from its own IP can name the account's downloads from others.
#pragma once

#include "usbexfil/load/inputs.hpp"
#include "usbexfil/load/scan.hpp"
#include "usbexfil/table/source_tables.hpp"

#include <string_view>
#include <unordered_set>
#include <vector>

namespace usbexfil::explain {

/// FileDownloaded rows in the window whose AccountObjectId is one of `accounts` (exact).
CloudAppEventsTable load_account_downloads(const std::vector<ScanSource> &sources,
                                           const TimeWindow &window,
                                           const std::unordered_set<std::string_view> &accounts,
                                           const ScanOptions &options, LoadStats &stats);

} // namespace usbexfil::explain
