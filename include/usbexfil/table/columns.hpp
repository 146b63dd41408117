// Every Sentinel column and dynamic property the rule reads, named once, so that grepping for a
// column name finds the code that uses it.
#pragma once

#include <string_view>

namespace usbexfil::column {

// Shared by all four tables.
inline constexpr std::string_view TIME_GENERATED = "TimeGenerated";
inline constexpr std::string_view ACTION_TYPE = "ActionType";
inline constexpr std::string_view DEVICE_ID = "DeviceId";
inline constexpr std::string_view DEVICE_NAME = "DeviceName";

// SecurityAlert.
inline constexpr std::string_view ALERT_NAME = "AlertName";
inline constexpr std::string_view STATUS = "Status";
inline constexpr std::string_view ENTITIES = "Entities";
inline constexpr std::string_view ENTITY_TYPE = "Type";
inline constexpr std::string_view SYSTEM_ALERT_ID = "SystemAlertId"; // --enrich
inline constexpr std::string_view ENTITY_ADDRESS = "Address";
inline constexpr std::string_view ENTITY_AAD_USER_ID = "AadUserId";

// CloudAppEvents.
inline constexpr std::string_view APPLICATION = "Application";
inline constexpr std::string_view ACCOUNT_OBJECT_ID = "AccountObjectId";
inline constexpr std::string_view IP_ADDRESS = "IPAddress";
inline constexpr std::string_view CITY = "City";
inline constexpr std::string_view COUNTRY_CODE = "CountryCode";
inline constexpr std::string_view RAW_EVENT_DATA = "RawEventData";
inline constexpr std::string_view RAW_USER_ID = "UserId";
inline constexpr std::string_view RAW_SOURCE_FILE_NAME = "SourceFileName";

// DeviceFileEvents.
inline constexpr std::string_view FILE_NAME = "FileName";
inline constexpr std::string_view FOLDER_PATH = "FolderPath";
inline constexpr std::string_view INITIATING_PROCESS_ACCOUNT_UPN = "InitiatingProcessAccountUpn";
inline constexpr std::string_view INITIATING_PROCESS_FOLDER_PATH = "InitiatingProcessFolderPath";
inline constexpr std::string_view INITIATING_PROCESS_PARENT_FILE_NAME =
    "InitiatingProcessParentFileName";
inline constexpr std::string_view FILE_SIZE = "FileSize"; // --enrich
inline constexpr std::string_view SHA256 = "SHA256";      // --enrich

// DeviceEvents.
inline constexpr std::string_view ADDITIONAL_FIELDS = "AdditionalFields";
inline constexpr std::string_view DRIVE_LETTER = "DriveLetter";
inline constexpr std::string_view PRODUCT_NAME = "ProductName";
inline constexpr std::string_view VOLUME = "Volume";
inline constexpr std::string_view SERIAL_NUMBER = "SerialNumber";       // --enrich
inline constexpr std::string_view MANUFACTURER = "Manufacturer";        // --enrich
inline constexpr std::string_view PRODUCT_REVISION = "ProductRevision"; // --enrich
inline constexpr std::string_view BUS_TYPE = "BusType";                 // --enrich

// Values the rule compares with.
inline constexpr std::string_view ALERT_NAME_MASS_DOWNLOAD = "mass download by a single user";
inline constexpr std::string_view STATUS_RESOLVED = "Resolved";
inline constexpr std::string_view ACTION_FILE_DOWNLOADED = "FileDownloaded";
inline constexpr std::string_view ACTION_FILE_CREATED = "FileCreated";
inline constexpr std::string_view ACTION_FILE_RENAMED = "FileRenamed";
inline constexpr std::string_view ACTION_USB_DRIVE_MOUNTED = "UsbDriveMounted";
inline constexpr std::string_view ENTITY_TYPE_IP = "ip";
inline constexpr std::string_view ENTITY_TYPE_ACCOUNT = "account";

} // namespace usbexfil::column
