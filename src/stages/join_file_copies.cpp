// Stage 4, step 4: `join kind=inner ... on $left.UserId == $right.InitiatingProcessAccountUpn`
// then `DeviceFileEvent_StartTime >= Alert_TimeGenerated`. The identity join is case-sensitive
// ("Avery.Lee@..." does not join "avery.lee@..."), "" joins "" (downloads without UserId join
// SYSTEM copies without a UPN), and the time test is per group: one copy before the alert drops
// the whole group.
#include "usbexfil/stages/join_file_copies.hpp"

#include <unordered_map>
#include <vector>

namespace usbexfil {

AlertCopyTable join_file_copies(const AlertDownloadTable &alert_downloads,
                                const DownloadSummaryTable &downloads,
                                const FileCopyTable &copies) {
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_user;
  for (std::size_t i = 0; i < copies.size(); ++i) {
    by_user[copies[i].initiating_process_account_upn].push_back(i);
  }
  AlertCopyTable joined;
  for (std::size_t i = 0; i < alert_downloads.size(); ++i) {
    const AlertDownload &left = alert_downloads[i];
    const auto found = by_user.find(downloads[left.download].user_id);
    if (found == by_user.end()) {
      continue;
    }
    for (const std::size_t copy : found->second) {
      if (copies[copy].start_time >= left.alert_time) {
        joined.push_back({i, copy});
      }
    }
  }
  return joined;
}

} // namespace usbexfil
