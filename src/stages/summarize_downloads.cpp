// Stage 2: download summaries.
//
// Subtle points (semantics.md, stage 2): ActionType is compared exactly; every group key is an
// exact string and "" is a value like any other; a file name "" (missing or null SourceFileName)
// enters the set and the count (Kusto strings are never null); FileCount is exact where Kusto's
// dcount would estimate; min/max skip null times, yet a row with a null time still adds its name.
#include "usbexfil/stages/summarize_downloads.hpp"

#include "stages/group_by.hpp"
#include "usbexfil/table/columns.hpp"

namespace usbexfil {

DownloadSummaryTable summarize_downloads(const CloudAppEventsTable &events) {
  using Key = std::tuple<std::string_view, std::string_view, std::string_view, std::string_view,
                         std::string_view, std::string_view>;
  TimeAndSetGroups<Key> groups;
  for (std::size_t row = 0; row < events.size(); ++row) {
    if (events.action_type[row] != column::ACTION_FILE_DOWNLOADED) {
      continue;
    }
    groups.add(Key{events.application[row], events.account_object_id[row], events.user_id[row],
                   events.ip_address[row], events.city[row], events.country_code[row]},
               events.time_generated[row], events.source_file_name[row]);
  }
  DownloadSummaryTable summaries;
  groups.emit([&](const Key &key, Datetime start, Datetime end, StringSet files) {
    const auto &[application, account, user, ip, city, country] = key;
    summaries.push_back(
        {application, account, user, ip, city, country, start, end, std::move(files)});
  });
  return summaries;
}

} // namespace usbexfil
