// The four Sentinel tables as loaded: struct-of-arrays with only the columns the rule reads.
// Strings are views into the table's own pool. A dynamic column the rule expands in full
// (Entities) is kept as compact JSON text; the others are projected to the properties the rule
// reads (`tostring(RawEventData.UserId)` ...) while loading.
#pragma once

#include "usbexfil/datetime.hpp"
#include "usbexfil/string_pool.hpp"

#include <string_view>
#include <tuple>
#include <vector>

namespace usbexfil {

using StringColumn = std::vector<std::string_view>;
using DatetimeColumn = std::vector<Datetime>;

/// SecurityAlert: the alert's time, name, status and its Entities dynamic as compact JSON text.
struct SecurityAlertTable {
  DatetimeColumn time_generated;
  StringColumn alert_name;
  StringColumn status;
  StringColumn entities_json;   ///< `null`, a JSON value, or a JSON string literal (not JSON text)
  StringColumn system_alert_id; ///< tostring(SystemAlertId): for --enrich only
  StringPool pool;

  std::size_t size() const { return time_generated.size(); }
  auto columns() {
    return std::tie(time_generated, alert_name, status, entities_json, system_alert_id);
  }
};

/// CloudAppEvents, with RawEventData projected to `UserId` and `SourceFileName`.
struct CloudAppEventsTable {
  DatetimeColumn time_generated;
  StringColumn action_type;
  StringColumn application;
  StringColumn account_object_id;
  StringColumn ip_address;
  StringColumn city;
  StringColumn country_code;
  StringColumn user_id;          ///< tostring(RawEventData.UserId)
  StringColumn source_file_name; ///< tostring(RawEventData.SourceFileName)
  StringPool pool;

  std::size_t size() const { return time_generated.size(); }
  auto columns() {
    return std::tie(time_generated, action_type, application, account_object_id, ip_address, city,
                    country_code, user_id, source_file_name);
  }
};

/// DeviceFileEvents, the columns of the copy summary plus ActionType and FileName (and, for
/// --enrich only, FileSize and SHA256).
struct DeviceFileEventsTable {
  DatetimeColumn time_generated;
  StringColumn action_type;
  StringColumn file_name;
  StringColumn folder_path;
  StringColumn device_id;
  StringColumn device_name;
  StringColumn initiating_process_account_upn;
  StringColumn initiating_process_folder_path;
  StringColumn initiating_process_parent_file_name;
  StringColumn file_size; ///< tostring(FileSize)
  StringColumn sha256;    ///< tostring(SHA256)
  StringPool pool;

  std::size_t size() const { return time_generated.size(); }
  auto columns() {
    return std::tie(time_generated, action_type, file_name, folder_path, device_id, device_name,
                    initiating_process_account_upn, initiating_process_folder_path,
                    initiating_process_parent_file_name, file_size, sha256);
  }
};

/// DeviceEvents, with AdditionalFields projected to DriveLetter, ProductName and Volume (and, for
/// --enrich only, the drive's SerialNumber, Manufacturer, ProductRevision and BusType).
struct DeviceEventsTable {
  DatetimeColumn time_generated;
  StringColumn action_type;
  StringColumn device_id;
  StringColumn drive_letter;     ///< tostring(AdditionalFields.DriveLetter)
  StringColumn product_name;     ///< tostring(AdditionalFields.ProductName)
  StringColumn volume;           ///< tostring(AdditionalFields.Volume)
  StringColumn serial_number;    ///< tostring(AdditionalFields.SerialNumber)
  StringColumn manufacturer;     ///< tostring(AdditionalFields.Manufacturer)
  StringColumn product_revision; ///< tostring(AdditionalFields.ProductRevision)
  StringColumn bus_type;         ///< tostring(AdditionalFields.BusType)
  StringPool pool;

  std::size_t size() const { return time_generated.size(); }
  auto columns() {
    return std::tie(time_generated, action_type, device_id, drive_letter, product_name, volume,
                    serial_number, manufacturer, product_revision, bus_type);
  }
};

/// Appends all rows of `from` to `into` and takes over its string pool.
template <class Table> void append_table(Table &into, Table &&from) {
  std::apply(
      [&](auto &...into_columns) {
        std::apply(
            [&](auto &...from_columns) {
              (into_columns.insert(into_columns.end(), from_columns.begin(), from_columns.end()),
               ...);
            },
            from.columns());
      },
      into.columns());
  into.pool.absorb(std::move(from.pool));
}

/// Row indices into a table: what a filter produces instead of copying rows.
using Selection = std::vector<std::size_t>;

} // namespace usbexfil
