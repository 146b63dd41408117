#include "usbexfil/load/table_files.hpp"

#include "usbexfil/error.hpp"
#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace usbexfil {
namespace {

// Longest name first, so that a longer table name is never taken for a shorter one.
constexpr std::array<SourceTable, SOURCE_TABLE_COUNT> BY_NAME_LENGTH = {
    SourceTable::device_file_events, SourceTable::cloud_app_events, SourceTable::security_alert,
    SourceTable::device_events};

} // namespace

std::string_view table_name(SourceTable table) {
  switch (table) {
  case SourceTable::security_alert:
    return "SecurityAlert";
  case SourceTable::cloud_app_events:
    return "CloudAppEvents";
  case SourceTable::device_file_events:
    return "DeviceFileEvents";
  case SourceTable::device_events:
    return "DeviceEvents";
  }
  return "";
}

std::optional<SourceTable> table_for_file_name(std::string_view file_name) {
  for (const SourceTable table : BY_NAME_LENGTH) {
    if (ascii_istarts_with(file_name, table_name(table))) {
      return table;
    }
  }
  return std::nullopt;
}

TableFiles find_table_files(const std::string &dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    throw Error(fs::exists(dir, error) ? fmt::format("{}: not a directory", dir)
                                       : fmt::format("{}: no such directory", dir));
  }
  TableFiles found;
  fs::directory_iterator it(dir, error);
  if (error) {
    throw Error(fmt::format("{}: cannot list directory: {}", dir, error.message()));
  }
  for (const fs::directory_entry &entry : it) {
    const auto table = table_for_file_name(entry.path().filename().string());
    if (table && entry.is_regular_file(error)) {
      found.paths[static_cast<std::size_t>(*table)].push_back(entry.path().string());
    }
  }
  bool any = false;
  for (auto &paths : found.paths) {
    std::sort(paths.begin(), paths.end());
    any = any || !paths.empty();
  }
  if (!any) {
    throw Error(fmt::format("{}: no SecurityAlert, CloudAppEvents, DeviceFileEvents or "
                            "DeviceEvents file (names must start with a table name)",
                            dir));
  }
  return found;
}

} // namespace usbexfil
