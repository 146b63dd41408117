// explain_rule: the rule run as run_pipeline runs it (same loads, same stage functions, one scan
// per table), with two scans' pushed-down filters widened so that the near misses of the alerts
// that passed stage 1 are at hand, then one verdict per such alert (verdicts.cpp).
//
//   SecurityAlert      every alert in the window (run drops other names and Resolved ones while
//                      loading): alerts are few, and the funnel counts each test.
//   CloudAppEvents     downloads by the alerted accounts from any IP (run: the alerted
//                      (account, IP) pairs only), and by the account ids spelled in upper or
//                      lower case; grouped at once, the rows freed.
//   DeviceFileEvents   FileCreated/FileRenamed by the users of stage 3, any file name (run: the
//                      listed names only), and by their UPNs spelled in other cases; grouped at
//                      once, the rows freed.
//   DeviceEvents       as run: mounts on the devices of stage 4's joined rows.
//
// The stages then get exactly the rows run's filters admit (a group key includes the filtered
// columns, or the selection is narrowed before grouping), so the funnel's counts and the findings
// are run's; the rest becomes candidates. Memory: the alerted identities' own rows, never the
// whole of a table (docs/explain.md, "Memory").
#include "explain/explain_internal.hpp"

#include "explain/candidate_loader.hpp"
#include "run_checks.hpp"
#include "usbexfil/error.hpp"
#include "usbexfil/explain.hpp"
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
#include "usbexfil/table/columns.hpp"
#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>

namespace usbexfil {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

LoadStats not_read(const Inputs &inputs, SourceTable table) {
  LoadStats stats;
  stats.table = std::string(table_name(table));
  stats.files =
      static_cast<std::size_t>(std::count_if(inputs.files.begin(), inputs.files.end(),
                                             [&](const InputFile &f) { return f.table == table; }));
  stats.inputs = stats.files;
  return stats;
}

template <class Set> std::uint64_t count_of(const Set &set) { return set.size(); }

} // namespace

namespace explain {

std::vector<std::string> case_variants(std::string_view text) {
  std::string lower = ascii_fold(text);
  std::string upper(text);
  for (char &c : upper) {
    c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
  }
  // Each name part capitalised ("Avery.Lee@Contoso.Com"), and only the part before "@"
  // ("Avery.Lee@contoso.com").
  std::string title = lower;
  std::string title_local = lower;
  bool start = true;
  bool local = true;
  for (std::size_t i = 0; i < title.size(); ++i) {
    const char c = title[i];
    if (start && c >= 'a' && c <= 'z') {
      title[i] = static_cast<char>(c - 32);
      if (local) {
        title_local[i] = title[i];
      }
    }
    start = c == '.' || c == '@' || c == '-' || c == '_' || c == ' ';
    local = local && c != '@';
  }
  std::vector<std::string> variants;
  for (std::string *v : {&lower, &upper, &title, &title_local}) {
    if (*v != text && std::find(variants.begin(), variants.end(), *v) == variants.end()) {
      variants.push_back(std::move(*v));
    }
  }
  return variants;
}

} // namespace explain

Explanation explain_rule(const Inputs &inputs, const PipelineOptions &options) {
  const auto run_start = Clock::now();
  run_checks::require_input_files(inputs);
  Explanation out;
  explain::RuleTables t;
  std::array<std::vector<ScanSource>, SOURCE_TABLE_COUNT> sources;
  for (std::size_t i = 0; i < SOURCE_TABLE_COUNT; ++i) {
    sources[i] = sources_for_table(inputs, static_cast<SourceTable>(i), i == 0);
  }
  const auto of = [&](SourceTable table) -> const std::vector<ScanSource> & {
    return sources[static_cast<std::size_t>(table)];
  };
  const TimeWindow &window = options.window;
  const ScanOptions &scan = options.scan;
  LoadStats stats;
  // As run_pipeline's: under --strict a file not read or a table without rows is an error.
  const auto record = [&](LoadStats &table) {
    run_checks::take_notes(table, scan.strict, out.warnings);
    out.tables.push_back(table);
  };
  const auto step = [&](int stage, std::string name, std::string label, bool ran, std::uint64_t in,
                        std::uint64_t rows_out,
                        std::vector<std::pair<std::string, std::uint64_t>> keys, double seconds) {
    out.funnel.push_back(
        {stage, std::move(name), std::move(label), ran, in, rows_out, std::move(keys), seconds});
  };

  // Stage 1: every alert of the window; the name and status tests counted one by one.
  t.alerts = load_security_alerts(of(SourceTable::security_alert), window, scan, stats, false);
  run_checks::require_some_table(inputs, stats);
  record(stats);
  step(1, "alerts_read", "SecurityAlert rows read, in the window", true, stats.rows_read,
       t.alerts.size(), {}, stats.seconds);
  auto start = Clock::now();
  std::uint64_t named = 0;
  for (std::size_t row = 0; row < t.alerts.size(); ++row) {
    if (ascii_iequals(t.alerts.alert_name[row], column::ALERT_NAME_MASS_DOWNLOAD)) {
      ++named;
      if (t.alerts.status[row] != column::STATUS_RESOLVED) {
        t.rule_alerts.push_back(row);
      }
    }
  }
  step(1, "alerts_kept", "alerts kept by name and status", true, t.alerts.size(),
       t.rule_alerts.size(), {{"named", named}, {"resolved", named - t.rule_alerts.size()}},
       since(start));
  start = Clock::now();
  t.entities = expand_alert_entities(t.alerts);
  std::unordered_set<std::string_view> accounts;
  std::unordered_set<std::string_view> ips;
  std::unordered_set<std::string> pair_keys;
  for (const AlertEntity &row : t.entities.rows) {
    accounts.insert(row.aad_user_id);
    ips.insert(row.ip_address);
    pair_keys.insert(pair_key(row.aad_user_id, row.ip_address));
  }
  step(1, "entity_rows", "entity rows (ip x account)", true, t.rule_alerts.size(),
       t.entities.size(), {{"accounts", count_of(accounts)}, {"ips", count_of(ips)}}, since(start));

  // Stage 2: the alerted accounts' downloads from any IP; the alerted pairs' groups are run's.
  std::deque<std::string> spellings; // the other spellings' texts, for views in `wanted`
  std::unordered_set<std::string_view> wanted(accounts.begin(), accounts.end());
  for (const std::string_view account : accounts) {
    for (std::string &variant : explain::case_variants(account)) {
      wanted.insert(spellings.emplace_back(std::move(variant)));
    }
  }
  std::uint64_t pair_rows = 0;
  bool read_downloads = !accounts.empty();
  if (read_downloads) {
    CloudAppEventsTable events = explain::load_account_downloads(of(SourceTable::cloud_app_events),
                                                                 window, wanted, scan, stats);
    record(stats);
    start = Clock::now();
    for (std::size_t row = 0; row < events.size(); ++row) {
      pair_rows +=
          pair_keys.contains(pair_key(events.account_object_id[row], events.ip_address[row]));
    }
    for (DownloadSummary &group : summarize_downloads(events)) {
      const bool alerted = pair_keys.contains(pair_key(group.account_object_id, group.ip_address));
      (alerted ? t.downloads : t.other_downloads).push_back(std::move(group));
    }
    // The groups' strings outlive the rows: keep the pool, drop the columns.
    t.download_strings.absorb(std::move(events.pool));
  } else {
    out.tables.push_back(not_read(inputs, SourceTable::cloud_app_events));
  }
  step(2, "downloads", "CloudAppEvents downloads by alerted (account, IP) pairs", read_downloads,
       read_downloads ? out.tables.back().rows_read : 0, pair_rows, {},
       read_downloads ? out.tables.back().seconds : 0);
  std::unordered_set<std::string_view> group_users;
  for (const DownloadSummary &group : t.downloads) {
    group_users.insert(group.user_id);
  }
  step(2, "download_groups", "download groups", read_downloads, pair_rows, t.downloads.size(),
       {{"users", count_of(group_users)}}, since(start));

  // Stage 3.
  start = Clock::now();
  t.alert_downloads = join_alerts_to_downloads(t.entities, t.downloads);
  t.file_list = make_file_list(t.alert_downloads, t.downloads);
  std::unordered_set<std::string_view> users;
  for (const AlertDownload &row : t.alert_downloads) {
    users.insert(t.downloads[row.download].user_id);
  }
  step(3, "joined_downloads", "joined to an alert, ended by its time", true, t.entities.size(),
       t.alert_downloads.size(), {{"users", count_of(users)}}, since(start));
  step(3, "file_list", "file list (distinct names, ASCII case folded)", true,
       t.alert_downloads.size(), t.file_list.folded_names.size(), {}, 0);

  // Stage 4: every FileCreated/FileRenamed of those users (and their UPNs in other cases).
  std::unordered_set<std::string_view> upns(users.begin(), users.end());
  for (const std::string_view user : users) {
    for (std::string &variant : explain::case_variants(user)) {
      upns.insert(spellings.emplace_back(std::move(variant)));
    }
  }
  Selection listed;
  const bool read_copies = !t.alert_downloads.empty();
  if (read_copies) {
    const DeviceFileEventsFilter filter{nullptr, &upns};
    DeviceFileEventsTable events =
        load_device_file_events(of(SourceTable::device_file_events), window, &filter, scan, stats);
    record(stats);
    start = Clock::now();
    for (const std::size_t row : match_file_names(events, t.file_list)) {
      if (users.contains(events.initiating_process_account_upn[row])) {
        listed.push_back(row);
      }
    }
    t.copies = summarize_file_copies(events, listed);
    explain::collect_writes(events, t.file_list, users, t);
    t.copy_strings.absorb(std::move(events.pool));
  } else {
    out.tables.push_back(not_read(inputs, SourceTable::device_file_events));
  }
  step(4, "copies", "DeviceFileEvents copies of listed files by those users", read_copies,
       read_copies ? out.tables.back().rows_read : 0, listed.size(), {},
       read_copies ? out.tables.back().seconds : 0);
  std::unordered_set<std::string_view> copy_devices;
  for (const FileCopySummary &group : t.copies) {
    copy_devices.insert(group.device_id);
  }
  step(4, "copy_groups", "copy groups", read_copies, listed.size(), t.copies.size(),
       {{"devices", count_of(copy_devices)}}, since(start));
  start = Clock::now();
  t.alert_copies = join_file_copies(t.alert_downloads, t.downloads, t.copies);
  std::unordered_set<std::string_view> device_ids;
  for (const AlertCopy &row : t.alert_copies) {
    device_ids.insert(t.copies[row.copy].device_id);
  }
  step(4, "joined_copies", "joined, started at or after the alert", true, t.alert_downloads.size(),
       t.alert_copies.size(), {{"devices", count_of(device_ids)}}, since(start));

  // Stage 5: as run.
  const bool read_mounts = !device_ids.empty();
  if (read_mounts) {
    const DeviceEventsFilter filter{&device_ids};
    t.device_events =
        load_device_events(of(SourceTable::device_events), window, &filter, scan, stats);
    record(stats);
  } else {
    out.tables.push_back(not_read(inputs, SourceTable::device_events));
  }
  start = Clock::now();
  t.mounts = select_usb_mounts(t.device_events);
  step(5, "mounts", "DeviceEvents USB mounts with a drive letter on those devices", read_mounts,
       read_mounts ? out.tables.back().rows_read : 0, t.mounts.size(), {},
       (read_mounts ? out.tables.back().seconds : 0) + since(start));
  start = Clock::now();
  t.alert_mounts = join_usb_mounts(t.alert_copies, t.alert_downloads, t.copies, t.mounts);
  std::unordered_set<std::string_view> mount_devices;
  for (const AlertMount &row : t.alert_mounts) {
    mount_devices.insert(t.mounts[row.mount].device_id);
  }
  step(5, "joined_mounts", "joined, mounted at or after the alert", true, t.alert_copies.size(),
       t.alert_mounts.size(), {{"devices", count_of(mount_devices)}}, since(start));

  run_checks::check_every_table_has_input(out.tables, scan.strict, out.warnings);

  // Stage 6.
  start = Clock::now();
  const FindingTable findings = filter_drive_letter_prefix(
      {t.alert_mounts, t.alert_copies, t.alert_downloads, t.downloads, t.copies, t.mounts});
  out.findings = findings.size();
  std::unordered_set<std::string_view> finding_users;
  for (const Finding &finding : findings) {
    finding_users.insert(finding.user_id);
  }
  step(6, "findings", "findings (a copied path on the mounted drive)", true, t.alert_mounts.size(),
       findings.size(), {{"users", count_of(finding_users)}}, since(start));

  out.alerts = explain::alert_verdicts(t);
  out.seconds = since(run_start);
  return out;
}

} // namespace usbexfil
