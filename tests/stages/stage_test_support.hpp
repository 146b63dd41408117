// Builders for small input tables in stage tests.
#pragma once

#include "usbexfil/datetime.hpp"
#include "usbexfil/table/source_tables.hpp"
#include "usbexfil/table/stage_tables.hpp"

#include <string_view>

namespace usbexfil::testing {

inline Datetime at(std::string_view text) { return parse_datetime(text); }

inline void add_alert(SecurityAlertTable &t, std::string_view time, std::string_view name,
                      std::string_view status, std::string_view entities) {
  t.time_generated.push_back(at(time));
  t.alert_name.push_back(t.pool.intern(name));
  t.status.push_back(t.pool.intern(status));
  t.entities_json.push_back(t.pool.intern(entities));
}

struct Download {
  std::string_view time, action, app, account, user, ip, city, country, file;
};
inline void add_download(CloudAppEventsTable &t, const Download &d) {
  t.time_generated.push_back(at(d.time));
  t.action_type.push_back(d.action);
  t.application.push_back(d.app);
  t.account_object_id.push_back(d.account);
  t.user_id.push_back(d.user);
  t.ip_address.push_back(d.ip);
  t.city.push_back(d.city);
  t.country_code.push_back(d.country);
  t.source_file_name.push_back(d.file);
}

struct FileEvent {
  std::string_view time, action, file, folder, device, device_name, upn, process, parent;
};
inline void add_file_event(DeviceFileEventsTable &t, const FileEvent &e) {
  t.time_generated.push_back(at(e.time));
  t.action_type.push_back(e.action);
  t.file_name.push_back(e.file);
  t.folder_path.push_back(e.folder);
  t.device_id.push_back(e.device);
  t.device_name.push_back(e.device_name);
  t.initiating_process_account_upn.push_back(e.upn);
  t.initiating_process_folder_path.push_back(e.process);
  t.initiating_process_parent_file_name.push_back(e.parent);
}

} // namespace usbexfil::testing
