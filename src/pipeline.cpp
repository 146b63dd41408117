// The table of contents of the rule. Small tables first; what each stage learns narrows the
// next scan: alerted (account, ip) pairs filter CloudAppEvents, the file list and alerted users
// filter DeviceFileEvents, the devices left filter DeviceEvents. Once a step is empty the later
// tables are not read at all (their stats say so): no finding could come from them.
#include "usbexfil/pipeline.hpp"

#include "run_checks.hpp"
#include "usbexfil/enrich.hpp"
#include "usbexfil/error.hpp"
#include "usbexfil/load/loaders.hpp"
#include "usbexfil/stages/expand_alert_entities.hpp"
#include "usbexfil/stages/filter_drive_letter_prefix.hpp"
#include "usbexfil/stages/join_alerts_to_downloads.hpp"
#include "usbexfil/stages/join_file_copies.hpp"
#include "usbexfil/stages/join_usb_mounts.hpp"
#include "usbexfil/stages/match_file_names.hpp"
#include "usbexfil/stages/select_usb_mounts.hpp"
#include "usbexfil/stages/summarize_downloads.hpp"
#include "usbexfil/stages/summarize_file_copies.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>

namespace usbexfil {
namespace {

/// Everything the findings point into.
struct Storage {
  SecurityAlertTable alerts;
  CloudAppEventsTable cloud_app_events;
  DeviceFileEventsTable device_file_events;
  DeviceEventsTable device_events;
  AlertEntityTable alert_entities;
  Selection copy_rows; ///< stage 4's rows of device_file_events (for --enrich)
  DownloadSummaryTable downloads;
  AlertDownloadTable alert_downloads;
  FileCopyTable copies;
  AlertCopyTable alert_copies;
  UsbMountTable mounts;
  AlertMountTable alert_mounts;
};

/// Runs one stage and records rows in, rows out and time.
template <class Run>
auto timed_stage(PipelineResult &result, std::string name, std::size_t rows_in, Run run) {
  const auto start = std::chrono::steady_clock::now();
  auto output = run();
  StageStats stats{std::move(name), rows_in, 0, 0};
  stats.rows_out = output.size();
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.stages.push_back(std::move(stats));
  return output;
}

LoadStats not_read(const Inputs &inputs, SourceTable table) {
  LoadStats stats;
  stats.table = std::string(table_name(table));
  stats.files =
      static_cast<std::size_t>(std::count_if(inputs.files.begin(), inputs.files.end(),
                                             [&](const InputFile &f) { return f.table == table; }));
  // Without a scan, the inputs are what could hold its rows: files placed in it, and files whose
  // records (or archive members) say where they go. Only a table with none of them has no input
  // (D27); one whose rows might be in an archive is not reported as empty.
  stats.inputs = sources_for_table(inputs, table, false).size();
  return stats;
}

} // namespace

PipelineResult run_pipeline(const Inputs &inputs, const PipelineOptions &options) {
  PipelineResult result;
  auto storage = std::make_shared<Storage>();
  Storage &s = *storage;
  result.storage = storage;
  run_checks::require_input_files(inputs);
  // Each table's sources; files whose records name their tables are in every table's list and
  // report their errors in the first scan (SecurityAlert), which every run makes.
  std::array<std::vector<ScanSource>, SOURCE_TABLE_COUNT> sources;
  for (std::size_t t = 0; t < SOURCE_TABLE_COUNT; ++t) {
    sources[t] = sources_for_table(inputs, static_cast<SourceTable>(t), t == 0);
  }
  const auto of = [&](SourceTable table) -> const std::vector<ScanSource> & {
    return sources[static_cast<std::size_t>(table)];
  };
  const bool push = options.push_down;
  const auto &window = options.window;
  const auto &scan = options.scan;
  LoadStats stats;
  const auto record = [&](LoadStats &table) {
    run_checks::take_notes(table, scan.strict, result.warnings);
    if (table.threads < table.threads_wanted) {
      result.warnings.push_back(fmt::format(
          "{}: the system would start only {} of the {} parsing threads wanted; the scan ran "
          "on fewer (same findings, slower)",
          table.table, table.threads, table.threads_wanted));
    }
    result.tables.push_back(table);
  };

  // Stage 1: alerts, expanded to (time, ip, account) rows.
  s.alerts = load_security_alerts(of(SourceTable::security_alert), window, scan, stats, push);
  run_checks::require_some_table(inputs, stats);
  record(stats);
  s.alert_entities = timed_stage(result, "expand_alert_entities", s.alerts.size(),
                                 [&] { return expand_alert_entities(s.alerts); });

  // Stage 2: downloads by alerted (account, ip) pairs only.
  std::unordered_set<std::string> account_ip_keys;
  std::unordered_set<std::string_view> account_object_ids;
  for (const AlertEntity &row : s.alert_entities.rows) {
    account_ip_keys.insert(pair_key(row.aad_user_id, row.ip_address));
    account_object_ids.insert(row.aad_user_id);
  }
  const CloudAppEventsFilter download_filter{&account_ip_keys, &account_object_ids};
  if (!push || !account_ip_keys.empty()) {
    s.cloud_app_events = load_cloud_app_events(of(SourceTable::cloud_app_events), window,
                                               push ? &download_filter : nullptr, scan, stats);
    record(stats);
  } else {
    result.tables.push_back(not_read(inputs, SourceTable::cloud_app_events));
  }
  s.downloads = timed_stage(result, "summarize_downloads", s.cloud_app_events.size(),
                            [&] { return summarize_downloads(s.cloud_app_events); });

  // Stage 3: alerts joined to downloads; the global file list and the users it concerns.
  s.alert_downloads =
      timed_stage(result, "join_alerts_to_downloads", s.alert_entities.rows.size(),
                  [&] { return join_alerts_to_downloads(s.alert_entities, s.downloads); });
  const FileList file_list = make_file_list(s.alert_downloads, s.downloads);
  std::unordered_set<std::string_view> user_ids;
  for (const AlertDownload &row : s.alert_downloads) {
    user_ids.insert(s.downloads[row.download].user_id);
  }

  // Stage 4: copies of listed files by those users, grouped, joined after the alert.
  const DeviceFileEventsFilter copy_filter{&file_list, &user_ids};
  if (!push || !s.alert_downloads.empty()) {
    s.device_file_events = load_device_file_events(of(SourceTable::device_file_events), window,
                                                   push ? &copy_filter : nullptr, scan, stats);
    record(stats);
  } else {
    result.tables.push_back(not_read(inputs, SourceTable::device_file_events));
  }
  s.copy_rows = timed_stage(result, "match_file_names", s.device_file_events.size(),
                            [&] { return match_file_names(s.device_file_events, file_list); });
  s.copies = timed_stage(result, "summarize_file_copies", s.copy_rows.size(),
                         [&] { return summarize_file_copies(s.device_file_events, s.copy_rows); });
  s.alert_copies = timed_stage(result, "join_file_copies", s.alert_downloads.size(), [&] {
    return join_file_copies(s.alert_downloads, s.downloads, s.copies);
  });

  // Stage 5: mounts on the devices left, joined after the alert.
  std::unordered_set<std::string_view> device_ids;
  for (const AlertCopy &row : s.alert_copies) {
    device_ids.insert(s.copies[row.copy].device_id);
  }
  const DeviceEventsFilter mount_filter{&device_ids};
  if (!push || !device_ids.empty()) {
    s.device_events = load_device_events(of(SourceTable::device_events), window,
                                         push ? &mount_filter : nullptr, scan, stats);
    record(stats);
  } else {
    result.tables.push_back(not_read(inputs, SourceTable::device_events));
  }
  s.mounts = timed_stage(result, "select_usb_mounts", s.device_events.size(),
                         [&] { return select_usb_mounts(s.device_events); });
  s.alert_mounts = timed_stage(result, "join_usb_mounts", s.alert_copies.size(), [&] {
    return join_usb_mounts(s.alert_copies, s.alert_downloads, s.copies, s.mounts);
  });

  // D27: a table without input (no file or member placed in it, no record naming it).
  run_checks::check_every_table_has_input(result.tables, scan.strict, result.warnings);

  // Stage 6: paths on the mounted drive; one finding per joined row that has any.
  result.findings = timed_stage(result, "filter_drive_letter_prefix", s.alert_mounts.size(), [&] {
    return filter_drive_letter_prefix(
        {s.alert_mounts, s.alert_copies, s.alert_downloads, s.downloads, s.copies, s.mounts});
  });
  sort_findings(result.findings); // one order for every output format (findings.md)
  if (options.enrich) {
    enrich_findings(result.findings,
                    {s.alerts, s.device_file_events, s.copy_rows, s.device_events});
  }
  return result;
}

} // namespace usbexfil
