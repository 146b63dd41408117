// Stage 3: alerts joined to downloads.
//
// Subtle points (semantics.md, stage 3): both keys compare exactly and "" joins "" (an account
// entity without AadUserId joins downloads without AccountObjectId). The time test is per group:
// one download after the alert drops the whole group and its names leave the file list. The file
// list is global: a name downloaded by one alerted user matches copies of any alerted user.
#include "usbexfil/stages/join_alerts_to_downloads.hpp"

#include "stages/hashing.hpp"
#include "usbexfil/text.hpp"

#include <unordered_map>
#include <vector>

namespace usbexfil {

bool FileList::contains(std::string_view file_name) const {
  thread_local std::string folded; // reused: this runs once per candidate DeviceFileEvents row
  ascii_fold_into(folded, file_name);
  return folded_names.contains(folded);
}

AlertDownloadTable join_alerts_to_downloads(const AlertEntityTable &alerts,
                                            const DownloadSummaryTable &downloads) {
  using Key = std::tuple<std::string_view, std::string_view>;
  std::unordered_map<Key, std::vector<std::size_t>, TupleHash> by_account_and_ip;
  for (std::size_t i = 0; i < downloads.size(); ++i) {
    by_account_and_ip[Key{downloads[i].account_object_id, downloads[i].ip_address}].push_back(i);
  }
  AlertDownloadTable joined;
  for (const AlertEntity &alert : alerts.rows) {
    const auto found = by_account_and_ip.find(Key{alert.aad_user_id, alert.ip_address});
    if (found == by_account_and_ip.end()) {
      continue;
    }
    for (const std::size_t download : found->second) {
      if (downloads[download].end_time <= alert.alert_time) {
        joined.push_back({alert.alert_time, download});
      }
    }
  }
  return joined;
}

FileList make_file_list(const AlertDownloadTable &joined, const DownloadSummaryTable &downloads) {
  FileList list;
  for (const AlertDownload &row : joined) {
    for (const std::string_view name : downloads[row.download].files) {
      list.folded_names.insert(ascii_fold(name));
    }
  }
  return list;
}

} // namespace usbexfil
