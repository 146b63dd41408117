// The four table loaders. Each streams its sources (line_scanner: any shape of inputs.md),
// parses each record that can matter, projects the columns the rule reads, drops rows outside the
// time window and, when the pipeline passes a filter, rows that cannot reach a finding. Pushing a
// filter into a scan never changes the findings (tests/pipeline_test.cpp checks this); it keeps
// memory to relevant rows.
#pragma once

#include "usbexfil/load/inputs.hpp"
#include "usbexfil/load/scan.hpp"
#include "usbexfil/table/source_tables.hpp"
#include "usbexfil/table/stage_tables.hpp"

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace usbexfil {

/// A key for a pair of strings that cannot collide for different pairs.
std::string pair_key(std::string_view first, std::string_view second);

/// What CloudAppEvents rows can still matter: downloads by an (AccountObjectId, IPAddress)
/// pair that some alert names (keys made with pair_key).
struct CloudAppEventsFilter {
  const std::unordered_set<std::string> *account_ip_keys = nullptr; ///< null: any pair
  /// The AccountObjectIds of those pairs (for the raw pre-filter); null: not used.
  const std::unordered_set<std::string_view> *account_object_ids = nullptr;
};

/// What DeviceFileEvents rows can still matter: copies of a listed file by a user who has a
/// download joined to an alert.
struct DeviceFileEventsFilter {
  const FileList *file_list = nullptr;                            ///< null: any name
  const std::unordered_set<std::string_view> *user_ids = nullptr; ///< null: any user
};

/// What DeviceEvents rows can still matter: USB mounts with a drive letter on listed devices.
struct DeviceEventsFilter {
  const std::unordered_set<std::string_view> *device_ids = nullptr; ///< null: any device
};

/// SecurityAlert rows in the window. Alerts are few, so every row is parsed in full; with
/// `rule_alerts_only`, rows that fail stage 1's name and status test (`is_rule_alert`) are
/// dropped before their Entities are read.
SecurityAlertTable load_security_alerts(const std::vector<ScanSource> &sources,
                                        const TimeWindow &window, const ScanOptions &options,
                                        LoadStats &stats, bool rule_alerts_only = false);
/// The same over plain files that all belong to the table.
SecurityAlertTable load_security_alerts(const std::vector<std::string> &files,
                                        const TimeWindow &window, const ScanOptions &options,
                                        LoadStats &stats, bool rule_alerts_only = false);

/// CloudAppEvents rows in the window; with a filter, only downloads it admits.
CloudAppEventsTable load_cloud_app_events(const std::vector<ScanSource> &sources,
                                          const TimeWindow &window,
                                          const CloudAppEventsFilter *filter,
                                          const ScanOptions &options, LoadStats &stats);
/// The same over plain files that all belong to the table.
CloudAppEventsTable load_cloud_app_events(const std::vector<std::string> &files,
                                          const TimeWindow &window,
                                          const CloudAppEventsFilter *filter,
                                          const ScanOptions &options, LoadStats &stats);

/// DeviceFileEvents rows in the window; with a filter, only FileCreated/FileRenamed rows it
/// admits.
DeviceFileEventsTable load_device_file_events(const std::vector<ScanSource> &sources,
                                              const TimeWindow &window,
                                              const DeviceFileEventsFilter *filter,
                                              const ScanOptions &options, LoadStats &stats);
/// The same over plain files that all belong to the table.
DeviceFileEventsTable load_device_file_events(const std::vector<std::string> &files,
                                              const TimeWindow &window,
                                              const DeviceFileEventsFilter *filter,
                                              const ScanOptions &options, LoadStats &stats);

/// DeviceEvents rows in the window; with a filter, only UsbDriveMounted rows it admits.
DeviceEventsTable load_device_events(const std::vector<ScanSource> &sources,
                                     const TimeWindow &window, const DeviceEventsFilter *filter,
                                     const ScanOptions &options, LoadStats &stats);
/// The same over plain files that all belong to the table.
DeviceEventsTable load_device_events(const std::vector<std::string> &files,
                                     const TimeWindow &window, const DeviceEventsFilter *filter,
                                     const ScanOptions &options, LoadStats &stats);

} // namespace usbexfil
