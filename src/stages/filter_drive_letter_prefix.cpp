// Stage 6: files on the drive, and the finding.
//
// Subtle points (semantics.md, stage 6): `startswith` folds ASCII case only and uses the letter
// as reported ("E", "E:" and "E:\" each work as a prefix). Each joined row is its own group:
// stage 1 rows are distinct, a (time, download group) pair comes from one alert row, and mounts
// are distinct, so no two rows share the ten group-by values. HostNameDomain follows the rule's
// evident intent (`DomainIndex != -1`), which is also what Kusto computes for every reading.
#include "usbexfil/stages/filter_drive_letter_prefix.hpp"

#include "usbexfil/text.hpp"

namespace usbexfil {

std::string_view last_backslash_part(std::string_view path) {
  const std::size_t slash = path.rfind('\\');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view host_name(std::string_view device_name) {
  return device_name.substr(0, device_name.find('.'));
}

std::string_view host_name_domain(std::string_view device_name) {
  const std::size_t dot = device_name.find('.');
  return dot == std::string_view::npos ? device_name : device_name.substr(dot + 1);
}

std::string_view account_name(std::string_view user_id) {
  return user_id.substr(0, user_id.find('@'));
}

std::string_view account_upn_suffix(std::string_view user_id) {
  const std::size_t first = user_id.find('@');
  if (first == std::string_view::npos) {
    return {};
  }
  const std::string_view rest = user_id.substr(first + 1);
  return rest.substr(0, rest.find('@'));
}

namespace {

StringSet paths_on_drive(const StringSet &paths, std::string_view drive_letter) {
  StringSet matched;
  for (const std::string_view path : paths) {
    if (ascii_istarts_with(path, drive_letter)) {
      matched.push_back(path); // stays sorted: a subsequence of a sorted set
    }
  }
  return matched;
}

} // namespace

FindingTable filter_drive_letter_prefix(const JoinedTables &joined) {
  FindingTable findings;
  for (const AlertMount &row : joined.alert_mounts) {
    const AlertCopy &alert_copy = joined.alert_copies[row.alert_copy];
    const AlertDownload &alert_download = joined.alert_downloads[alert_copy.alert_download];
    const DownloadSummary &downloads = joined.downloads[alert_download.download];
    const FileCopySummary &copies = joined.copies[alert_copy.copy];
    const UsbMount &mount = joined.mounts[row.mount];
    StringSet matched = paths_on_drive(copies.files, mount.drive_letter);
    if (matched.empty()) {
      continue;
    }
    Finding finding{.alert_time = alert_download.alert_time,
                    .usb_time = mount.time,
                    .user_id = downloads.user_id,
                    .aad_user_id = downloads.account_object_id,
                    .device_id = copies.device_id,
                    .device_name = copies.device_name,
                    .ip_address = downloads.ip_address,
                    .downloads = downloads,
                    .copies = copies,
                    .mount = mount,
                    .matched_files = std::move(matched),
                    .initiating_process_file_name =
                        last_backslash_part(copies.initiating_process_folder_path),
                    .initiating_process_folder_path = copies.initiating_process_folder_path,
                    .host_name = host_name(copies.device_name),
                    .host_name_domain = host_name_domain(copies.device_name),
                    .account_name = account_name(downloads.user_id),
                    .account_upn_suffix = account_upn_suffix(downloads.user_id),
                    .enrichment = std::nullopt};
    findings.push_back(std::move(finding));
  }
  return findings;
}

} // namespace usbexfil
