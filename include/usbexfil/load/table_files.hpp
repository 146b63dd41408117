// Which files of DIR belong to which table (findings.md, "The minimal command line"): a file
// whose name starts with the table's name, ignoring case, longest table name first.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace usbexfil {

/// The four Sentinel tables the rule reads, in the order the pipeline loads them.
enum class SourceTable { security_alert, cloud_app_events, device_file_events, device_events };
inline constexpr std::size_t SOURCE_TABLE_COUNT = 4;

/// The Sentinel name of a table, e.g. "DeviceFileEvents".
std::string_view table_name(SourceTable table);

/// The table a file name belongs to, or none.
std::optional<SourceTable> table_for_file_name(std::string_view file_name);

/// Paths of each table's files, sorted by name; indexed by SourceTable.
struct TableFiles {
  std::array<std::vector<std::string>, SOURCE_TABLE_COUNT> paths;
  const std::vector<std::string> &of(SourceTable table) const {
    return paths[static_cast<std::size_t>(table)];
  }
};

/// Lists DIR (not recursively). Throws Error if DIR is missing, unreadable or holds no file of
/// any of the four tables.
TableFiles find_table_files(const std::string &dir);

} // namespace usbexfil
