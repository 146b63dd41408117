// Per alert that passed stage 1: follow its chain through the stage tables, the way the joins of
// semantics.md do (keys exact, time tests per group), and stop at the first stage none of its
// branches passes. The verdict names that stage's test, with the candidates that came closest:
// the groups that failed the time test, nearest to the alert first, or, when a join found no
// partner at all, the rows the pushed-down filter would have dropped (explain_rule.cpp).
#include "explain/explain_internal.hpp"

#include "load/json_values.hpp"
#include "usbexfil/load/loaders.hpp"
#include "usbexfil/stages/expand_alert_entities.hpp"
#include "usbexfil/table/columns.hpp"
#include "usbexfil/text.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <tuple>
#include <unordered_map>

namespace usbexfil::explain {

std::string when(Datetime time) {
  if (time.is_null()) {
    return "(no valid time)";
  }
  std::string text = format_datetime(time); // YYYY-MM-DDTHH:MM:SS.fffffffZ
  text.pop_back();
  while (text.back() == '0') {
    text.pop_back();
  }
  if (text.back() == '.') {
    text.pop_back();
  }
  return text + 'Z';
}

void collect_writes(const DeviceFileEventsTable &events, const FileList &file_list,
                    const std::unordered_set<std::string_view> &users, RuleTables &tables) {
  // Users by folded UPN, to tell another spelling of a user from an unrelated UPN.
  std::unordered_set<std::string> folded_users;
  for (const std::string_view user : users) {
    folded_users.insert(ascii_fold(user));
  }
  using Key = std::tuple<std::string_view, std::string_view, std::string_view, bool>;
  std::map<Key, std::pair<WriteGroup, std::unordered_set<std::string_view>>> groups;
  for (std::size_t row = 0; row < events.size(); ++row) {
    const std::string_view upn = events.initiating_process_account_upn[row];
    const bool exact = users.contains(upn);
    const bool is_listed = file_list.contains(events.file_name[row]);
    // Exact UPN and a listed name: stage 4's own rows. Another spelling: listed names only.
    if (exact == is_listed || (!exact && !folded_users.contains(ascii_fold(upn)))) {
      continue;
    }
    auto &[group, paths] =
        groups[Key{upn, events.device_id[row], events.device_name[row], is_listed}];
    if (paths.empty()) {
      group = {upn, events.device_id[row], events.device_name[row], is_listed, {}, {}, 0, {}};
    }
    group.start = min_skip_null(group.start, events.time_generated[row]);
    group.end = max_skip_null(group.end, events.time_generated[row]);
    const std::string_view path = events.folder_path[row];
    if (paths.insert(path).second && (group.sample.empty() || path < group.sample)) {
      group.sample = path;
    }
  }
  for (auto &[key, value] : groups) {
    value.first.files = value.second.size();
    tables.writes.push_back(value.first);
  }
}

namespace {

/// The alert's ip and account values, as stage 1 reads them (for the message only: the pairs
/// come from expand_alert_entities itself).
void entity_values(std::string_view entities_json, std::vector<std::string> &ips,
                   std::vector<std::string> &accounts) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(simdjson::padded_string(entities_json)).get(root)) {
    return;
  }
  static constexpr json::FieldPicker<3> PICKER{
      std::array{column::ENTITY_TYPE, column::ENTITY_ADDRESS, column::ENTITY_AAD_USER_ID}};
  std::string scratch;
  const auto add = [&](std::vector<std::string> &to, const std::optional<json::element> &value) {
    std::string text(json::to_kusto_string(value, scratch));
    if (std::find(to.begin(), to.end(), text) == to.end()) {
      to.push_back(std::move(text));
    }
  };
  const auto item = [&](std::optional<json::element> type, std::optional<json::element> address,
                        std::optional<json::element> account) {
    if (!type || !type->is_string()) {
      return;
    }
    const std::string_view name = type->get_string().value_unsafe();
    if (name == column::ENTITY_TYPE_IP) {
      add(ips, address);
    } else if (name == column::ENTITY_TYPE_ACCOUNT) {
      add(accounts, account);
    }
  };
  if (root.is_array()) {
    const simdjson::dom::array array = root.get_array().value_unsafe(); // not a temporary's
    for (const simdjson::dom::element element : array) {
      const auto [type, address, account] = PICKER.pick(std::optional<json::element>(element));
      item(type, address, account);
    }
  } else if (root.is_object()) {
    // mv-expand splits an object into one single-key object per property: only a "Type"
    // property can have a Type, and it has no Address or AadUserId.
    const simdjson::dom::object object = root.get_object().value_unsafe();
    for (const auto field : object) {
      if (field.key == column::ENTITY_TYPE) {
        item(field.value, std::nullopt, std::nullopt);
      }
    }
  }
}

/// Datetime distance for "nearest": null times last.
std::int64_t distance(Datetime a, Datetime b) {
  if (a.is_null() || b.is_null()) {
    return std::numeric_limits<std::int64_t>::max();
  }
  return a.ticks() > b.ticks() ? a.ticks() - b.ticks() : b.ticks() - a.ticks();
}

Candidate download_candidate(const DownloadSummary &group, std::string note) {
  Candidate c;
  c.kind = "downloads";
  c.account = group.account_object_id;
  c.ip = group.ip_address;
  c.user = group.user_id;
  c.start = group.start_time;
  c.end = group.end_time;
  c.files = group.files.size();
  c.sample = group.files.empty() ? std::string_view() : group.files.front();
  c.note = std::move(note);
  return c;
}

Candidate copy_candidate(const FileCopySummary &group, std::string note) {
  Candidate c;
  c.kind = "copies";
  c.user = group.initiating_process_account_upn;
  c.device = group.device_name;
  c.start = group.start_time;
  c.end = group.end_time;
  c.files = group.files.size();
  c.sample = group.files.empty() ? std::string_view() : group.files.front();
  c.note = std::move(note);
  return c;
}

/// Keeps the first EXPLAIN_CANDIDATES and counts the rest.
void set_candidates(AlertVerdict &verdict, std::vector<Candidate> candidates) {
  if (candidates.size() > EXPLAIN_CANDIDATES) {
    verdict.more_candidates = candidates.size() - EXPLAIN_CANDIDATES;
    candidates.resize(EXPLAIN_CANDIDATES);
  }
  verdict.candidates = std::move(candidates);
}

/// Nearest to the alert first (by `start` or by `end`), then by every field, so that the order
/// does not depend on the order in which the scan's threads delivered rows.
void sort_nearest(std::vector<Candidate> &candidates, Datetime alert, bool by_end) {
  const auto key = [&](const Candidate &c) {
    return std::make_tuple(distance(by_end ? c.end : c.start, alert), std::cref(c.user),
                           std::cref(c.account), std::cref(c.ip), std::cref(c.device),
                           std::cref(c.drive), c.start.sort_key(), c.end.sort_key(),
                           std::cref(c.sample), c.files);
  };
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](const Candidate &a, const Candidate &b) { return key(a) < key(b); });
}

std::string device_text(std::string_view name, std::string_view id) {
  return name.empty() ? fmt::format("device {}", id) : std::string(name);
}

StringSet paths_on_drive(const StringSet &paths, std::string_view drive_letter) {
  StringSet matched;
  for (const std::string_view path : paths) {
    if (ascii_istarts_with(path, drive_letter)) {
      matched.push_back(path);
    }
  }
  return matched;
}

class Chains {
public:
  explicit Chains(const RuleTables &t) : t_(t) {
    for (std::size_t i = 0; i < t.downloads.size(); ++i) {
      by_pair_[pair_key(t.downloads[i].account_object_id, t.downloads[i].ip_address)].push_back(i);
    }
    for (std::size_t i = 0; i < t.copies.size(); ++i) {
      by_user_[t.copies[i].initiating_process_account_upn].push_back(i);
    }
    for (std::size_t i = 0; i < t.mounts.size(); ++i) {
      by_device_[t.mounts[i].device_id].push_back(i);
    }
  }

  AlertVerdict verdict(std::size_t row) const {
    const SecurityAlertTable &alerts = t_.alerts;
    AlertVerdict v;
    v.alert_time = alerts.time_generated[row];
    v.alert_name = alerts.alert_name[row];
    v.status = alerts.status[row];
    entity_values(alerts.entities_json[row], v.ips, v.accounts);
    SecurityAlertTable one;
    one.time_generated = {alerts.time_generated[row]};
    one.alert_name = {alerts.alert_name[row]};
    one.status = {alerts.status[row]};
    one.entities_json = {alerts.entities_json[row]};
    const AlertEntityTable pairs = expand_alert_entities(one);
    const Datetime alert_time = v.alert_time;
    const std::string at = when(alert_time);

    // Stage 1.
    if (pairs.rows.empty()) {
      v.stage = 1;
      v.verdict = "no-entity-pair";
      const char *missing = v.ips.empty() && v.accounts.empty() ? "no ip and no account entity"
                            : v.ips.empty()                     ? "no ip entity"
                                                                : "no account entity";
      v.reason = fmt::format("its Entities hold {} (Type \"ip\" and \"account\", exact): no "
                             "(account, IP) pair to look for downloads with",
                             missing);
      return v;
    }

    // Stages 2 and 3.
    std::vector<std::size_t> groups;
    for (const AlertEntity &pair : pairs.rows) {
      const auto found = by_pair_.find(pair_key(pair.aad_user_id, pair.ip_address));
      if (found != by_pair_.end()) {
        groups.insert(groups.end(), found->second.begin(), found->second.end());
      }
    }
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    const std::string who = pairs.rows.size() == 1
                                ? fmt::format("account {} from IP {}", pairs.rows[0].aad_user_id,
                                              pairs.rows[0].ip_address)
                                : fmt::format("its {} (account, IP) pairs", pairs.rows.size());
    if (groups.empty()) {
      v.stage = 2;
      v.verdict = "no-downloads";
      std::vector<Candidate> near;
      for (const DownloadSummary &group : t_.other_downloads) {
        const bool exact = std::find(v.accounts.begin(), v.accounts.end(),
                                     group.account_object_id) != v.accounts.end();
        const bool folded =
            std::any_of(v.accounts.begin(), v.accounts.end(), [&](const std::string &account) {
              return ascii_iequals(account, group.account_object_id);
            });
        if (exact) {
          near.push_back(download_candidate(group, "the same account, another IP: the join needs "
                                                   "the alert's IP"));
        } else if (folded) {
          near.push_back(download_candidate(group, "AccountObjectId differs from the alert's "
                                                   "AadUserId in case only: the join is exact"));
        }
      }
      sort_nearest(near, alert_time, true);
      v.reason = fmt::format(
          "no FileDownloaded by {}{}", who,
          near.empty() ? std::string(" in the input")
                       : fmt::format("; {} of the account elsewhere",
                                     plural(near.size(), "download group", "download groups")));
      set_candidates(v, std::move(near));
      return v;
    }
    std::vector<std::size_t> joined;
    for (const std::size_t g : groups) {
      if (t_.downloads[g].end_time <= alert_time) {
        joined.push_back(g);
      }
    }
    if (joined.empty()) {
      v.stage = 3;
      v.verdict = "downloads-after-alert";
      std::vector<Candidate> near;
      near.reserve(groups.size());
      for (const std::size_t g : groups) {
        near.push_back(download_candidate(t_.downloads[g], "ends after the alert"));
      }
      sort_nearest(near, alert_time, true);
      const Candidate &nearest = near.front();
      v.reason = fmt::format(
          "downloads by {} exist ({}) but {} after the alert at {} (a group must end by then)", who,
          plural(nearest.files, "file", "files"),
          nearest.end.is_null() ? std::string("have no valid TimeGenerated, so cannot end")
                                : fmt::format("end at {},", when(nearest.end)),
          at);
      set_candidates(v, std::move(near));
      return v;
    }

    // Stage 4.
    std::vector<std::string_view> users;
    users.reserve(joined.size());
    for (const std::size_t g : joined) {
      users.push_back(t_.downloads[g].user_id);
    }
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    std::vector<std::size_t> copies;
    for (const std::string_view user : users) {
      const auto found = by_user_.find(user);
      if (found != by_user_.end()) {
        copies.insert(copies.end(), found->second.begin(), found->second.end());
      }
    }
    std::vector<std::size_t> late; // copy groups at or after the alert
    for (const std::size_t c : copies) {
      if (t_.copies[c].start_time >= alert_time) {
        late.push_back(c);
      }
    }
    // A copy group joins every joined download group of its user: each pair is a row of
    // stage 4, and so a finding of its own in stage 6.
    const auto rows_of = [&](std::size_t c) {
      return static_cast<std::uint64_t>(std::count_if(joined.begin(), joined.end(), [&](auto g) {
        return t_.downloads[g].user_id == t_.copies[c].initiating_process_account_upn;
      }));
    };
    const std::string user_text =
        users.size() == 1 ? std::string(users.front()) : fmt::format("{} users", users.size());
    if (late.empty() && copies.empty()) {
      v.stage = 4;
      v.verdict = "no-copies";
      std::vector<Candidate> near;
      for (const bool listed : {true, false}) {
        for (const WriteGroup &w : t_.writes) {
          if (w.listed != listed ||
              !std::any_of(users.begin(), users.end(),
                           [&](std::string_view u) { return ascii_iequals(u, w.upn); })) {
            continue;
          }
          Candidate c;
          c.kind = listed ? "copies" : "writes";
          c.user = w.upn;
          c.device = device_text(w.device_name, w.device_id);
          c.start = w.start;
          c.end = w.end;
          c.files = w.files;
          c.sample = w.sample;
          c.note = listed ? "listed files, but the UPN differs from the downloads' UserId in case "
                            "only: the join is case-sensitive"
                          : "the same user, but no file named like a downloaded one";
          near.push_back(std::move(c));
        }
      }
      v.reason = fmt::format("downloads joined ({}), but no FileCreated/FileRenamed of a listed "
                             "file by {} (InitiatingProcessAccountUpn, exact)",
                             plural(joined.size(), "group", "groups"), user_text);
      set_candidates(v, std::move(near));
      return v;
    }
    if (late.empty()) {
      v.stage = 4;
      v.verdict = "copies-before-alert";
      std::vector<Candidate> near;
      near.reserve(copies.size());
      for (const std::size_t c : copies) {
        near.push_back(copy_candidate(t_.copies[c], "starts before the alert"));
      }
      sort_nearest(near, alert_time, false);
      const Candidate &nearest = near.front();
      v.reason = fmt::format(
          "copies of {} by {} on {} {} before the alert at {} (a group must start at or after it)",
          plural(nearest.files, "listed file", "listed files"), nearest.user, nearest.device,
          nearest.start.is_null() ? std::string("have no valid TimeGenerated, so do not start")
                                  : fmt::format("start at {},", when(nearest.start)),
          at);
      set_candidates(v, std::move(near));
      return v;
    }

    // Stage 5.
    struct Joined {
      std::size_t copy;
      std::size_t mount;
    };
    std::vector<Joined> mounted;
    std::vector<std::size_t> early; // mounts before the alert on those devices
    for (const std::size_t c : late) {
      const auto found = by_device_.find(t_.copies[c].device_id);
      if (found == by_device_.end()) {
        continue;
      }
      for (const std::size_t m : found->second) {
        if (t_.mounts[m].time >= alert_time) {
          mounted.push_back({c, m});
        } else {
          early.push_back(m);
        }
      }
    }
    const auto name_of = [&](std::string_view device_id) {
      for (const std::size_t c : late) {
        if (t_.copies[c].device_id == device_id) {
          return device_text(t_.copies[c].device_name, device_id);
        }
      }
      return device_text({}, device_id);
    };
    const auto mount_candidate = [&](const UsbMount &mount, std::string note) {
      Candidate c;
      c.kind = "mount";
      c.device = name_of(mount.device_id);
      c.drive = mount.drive_letter;
      c.start = mount.time;
      c.end = mount.time;
      c.sample = mount.product_name;
      c.note = std::move(note);
      return c;
    };
    if (mounted.empty()) {
      v.stage = 5;
      const FileCopySummary &first = t_.copies[late.front()];
      const std::string device = device_text(first.device_name, first.device_id);
      if (early.empty()) {
        v.verdict = "no-mounts";
        v.reason = fmt::format("copies of {} by {} on {} start at {}, after the alert, but no USB "
                               "drive with a drive letter was mounted on {} (DeviceId, exact)",
                               plural(first.files.size(), "listed file", "listed files"),
                               first.initiating_process_account_upn, device, when(first.start_time),
                               late.size() == 1 ? "that device" : "them");
        std::vector<Candidate> near;
        near.reserve(late.size());
        for (const std::size_t c : late) {
          near.push_back(copy_candidate(t_.copies[c], "after the alert; no mount on its device"));
        }
        sort_nearest(near, alert_time, false);
        set_candidates(v, std::move(near));
        return v;
      }
      v.verdict = "mounts-before-alert";
      std::sort(early.begin(), early.end());
      early.erase(std::unique(early.begin(), early.end()), early.end());
      std::vector<Candidate> near;
      near.reserve(early.size());
      for (const std::size_t m : early) {
        near.push_back(mount_candidate(t_.mounts[m], "mounted before the alert"));
      }
      sort_nearest(near, alert_time, false);
      const Candidate &nearest = near.front();
      v.reason = fmt::format("USB drive {} mounted on {} at {}, before the alert at {} (a mount "
                             "must be at or after it)",
                             nearest.drive, nearest.device, when(nearest.start), at);
      set_candidates(v, std::move(near));
      return v;
    }

    // Stage 6.
    std::vector<Candidate> found;
    std::vector<Candidate> missed;
    std::uint64_t finding_rows = 0;
    for (const Joined &j : mounted) {
      const FileCopySummary &copy = t_.copies[j.copy];
      const UsbMount &mount = t_.mounts[j.mount];
      const StringSet matched = paths_on_drive(copy.files, mount.drive_letter);
      Candidate c = mount_candidate(mount, "");
      c.user = copy.initiating_process_account_upn;
      c.device = device_text(copy.device_name, copy.device_id);
      if (matched.empty()) {
        c.files = 0;
        c.sample = copy.files.empty() ? std::string_view() : copy.files.front();
        c.note = fmt::format("no copied path starts with {}", mount.drive_letter);
        missed.push_back(std::move(c));
      } else {
        c.kind = "finding";
        finding_rows += rows_of(j.copy);
        c.files = matched.size();
        c.sample = matched.front();
        c.note = "a finding";
        found.push_back(std::move(c));
      }
    }
    v.stage = 6;
    sort_nearest(found, alert_time, false);
    sort_nearest(missed, alert_time, false);
    if (found.empty()) {
      v.verdict = "no-path-on-drive";
      const Candidate &first = missed.front();
      v.reason =
          fmt::format("USB drive {} mounted on {} at {} but no copied path starts with {} "
                      "(e.g. {})",
                      first.drive, first.device, when(first.start), first.drive, first.sample);
      set_candidates(v, std::move(missed));
      return v;
    }
    v.verdict = "findings";
    v.findings = finding_rows;
    v.reason = fmt::format("became {}", plural(finding_rows, "finding", "findings"));
    set_candidates(v, std::move(found));
    return v;
  }

private:
  const RuleTables &t_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_pair_;
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_user_;
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_device_;
};

} // namespace

std::vector<AlertVerdict> alert_verdicts(const RuleTables &tables) {
  std::vector<std::size_t> rows = tables.rule_alerts;
  const SecurityAlertTable &alerts = tables.alerts;
  std::sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
    return std::make_tuple(alerts.time_generated[a].sort_key(), alerts.entities_json[a],
                           alerts.status[a], alerts.alert_name[a], a) <
           std::make_tuple(alerts.time_generated[b].sort_key(), alerts.entities_json[b],
                           alerts.status[b], alerts.alert_name[b], b);
  });
  const Chains chains(tables);
  std::vector<AlertVerdict> verdicts;
  verdicts.reserve(rows.size());
  for (const std::size_t row : rows) {
    verdicts.push_back(chains.verdict(row));
  }
  return verdicts;
}

} // namespace usbexfil::explain
