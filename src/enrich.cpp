// --enrich: three indexes over the loaded rows, then one lookup per finding. The rows are the ones
// the pipeline kept for the rule (push-down leaves only rows that can reach a finding), so this
// costs a pass over a few rows per table, not a scan.
#include "usbexfil/enrich.hpp"

#include "stages/hashing.hpp"
#include "usbexfil/finding_id.hpp"
#include "usbexfil/stages/expand_alert_entities.hpp"
#include "usbexfil/table/columns.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>

namespace usbexfil {
namespace {

using AlertKey = std::tuple<Datetime, std::string_view, std::string_view>; // time, ip, account
using MountKey =
    std::tuple<Datetime, std::string_view, std::string_view, std::string_view, std::string_view>;
/// The copy group's five columns and the FolderPath.
using CopyKey = std::tuple<std::string_view, std::string_view, std::string_view, std::string_view,
                           std::string_view, std::string_view>;

template <class T> void sort_distinct(std::vector<T> &values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

auto event_order(const FileCopyEvent &e) {
  return std::tie(e.time, e.action_type, e.file_size, e.sha256);
}

} // namespace

void enrich_findings(FindingTable &findings, const EnrichmentSources &sources) {
  if (findings.empty()) {
    return;
  }
  StringPool entity_texts; // the pairs' strings, alive while the index is used
  std::unordered_map<AlertKey, std::vector<std::string_view>, TupleHash> alert_ids;
  for_each_alert_entity(sources.alerts, entity_texts, [&](std::size_t row, const AlertEntity &e) {
    auto &ids = alert_ids[{e.alert_time, e.ip_address, e.aad_user_id}];
    if (!sources.alerts.system_alert_id[row].empty()) { // an alert without one adds nothing
      ids.push_back(sources.alerts.system_alert_id[row]);
    }
  });

  const DeviceEventsTable &events = sources.device_events;
  std::unordered_map<MountKey, std::vector<UsbDrive>, TupleHash> drives;
  for (std::size_t row = 0; row < events.size(); ++row) {
    if (events.action_type[row] != column::ACTION_USB_DRIVE_MOUNTED ||
        events.drive_letter[row].empty()) {
      continue; // as select_usb_mounts
    }
    drives[{events.time_generated[row], events.device_id[row], events.drive_letter[row],
            events.product_name[row], events.volume[row]}]
        .push_back({events.serial_number[row], events.manufacturer[row], events.product_name[row],
                    events.product_revision[row], events.bus_type[row]});
  }

  const DeviceFileEventsTable &files = sources.file_events;
  std::unordered_map<CopyKey, std::vector<FileCopyEvent>, TupleHash> writes;
  for (const std::size_t row : sources.copy_rows) {
    writes[{files.initiating_process_account_upn[row], files.device_id[row], files.device_name[row],
            files.initiating_process_folder_path[row],
            files.initiating_process_parent_file_name[row], files.folder_path[row]}]
        .push_back({files.time_generated[row], files.action_type[row], files.file_size[row],
                    files.sha256[row]});
  }

  for (Finding &finding : findings) {
    Enrichment enrichment;
    enrichment.finding_id = finding_id(finding);
    if (const auto it =
            alert_ids.find({finding.alert_time, finding.ip_address, finding.aad_user_id});
        it != alert_ids.end()) {
      enrichment.system_alert_ids = it->second;
      sort_distinct(enrichment.system_alert_ids);
    }
    const UsbMount &m = finding.mount;
    if (const auto it =
            drives.find({m.time, m.device_id, m.drive_letter, m.product_name, m.volume});
        it != drives.end()) {
      enrichment.usb_drives = it->second;
      sort_distinct(enrichment.usb_drives);
    }
    const FileCopySummary &c = finding.copies;
    for (const std::string_view path : finding.matched_files) {
      MatchedFileCopies file{path, {}};
      if (const auto it = writes.find({c.initiating_process_account_upn, c.device_id, c.device_name,
                                       c.initiating_process_folder_path,
                                       c.initiating_process_parent_file_name, path});
          it != writes.end()) {
        file.copies = it->second;
        std::sort(file.copies.begin(), file.copies.end(),
                  [](const FileCopyEvent &a, const FileCopyEvent &b) {
                    return event_order(a) < event_order(b);
                  });
        file.copies.erase(std::unique(file.copies.begin(), file.copies.end(),
                                      [](const FileCopyEvent &a, const FileCopyEvent &b) {
                                        return event_order(a) == event_order(b);
                                      }),
                          file.copies.end());
      }
      enrichment.matched_files.push_back(std::move(file));
    }
    finding.enrichment = std::move(enrichment);
  }
}

} // namespace usbexfil
