#include "usbexfil/output/json_lines_writer.hpp"

#include "output/piece_buffer.hpp"
#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace usbexfil {
namespace {

/// Appends `"key":` pairs; the caller writes the braces.
class ObjectWriter {
public:
  explicit ObjectWriter(std::string &out) : out_(out) {}

  ObjectWriter &string(std::string_view key, std::string_view value) {
    write_key(key);
    append_json_string(out_, value);
    return *this;
  }
  ObjectWriter &time(std::string_view key, Datetime value) {
    write_key(key);
    out_.push_back('"');
    append_datetime(out_, value);
    out_.push_back('"');
    return *this;
  }
  ObjectWriter &set(std::string_view key, const StringSet &values) {
    write_key(key);
    append_json_set(out_, values);
    return *this;
  }
  ObjectWriter &count(std::string_view key, std::size_t value) {
    write_key(key);
    fmt::format_to(std::back_inserter(out_), "{}", value);
    return *this;
  }
  /// `text` (JSON) as the value under `key`.
  ObjectWriter &raw(std::string_view key, std::string_view text) {
    write_key(key);
    out_ += text;
    return *this;
  }

private:
  void write_key(std::string_view name) {
    if (!first_) {
      out_.push_back(',');
    }
    first_ = false;
    append_json_string(out_, name);
    out_.push_back(':');
  }
  std::string &out_;
  bool first_ = true;
};

/// A `_Details` bag as Sentinel's `tostring()` gives it: a JSON string holding its compact JSON.
template <typename Bag, typename Append>
void write_details_string(ObjectWriter &w, std::string &scratch, std::string_view key,
                          const Bag &bag, Append append) {
  scratch.clear();
  append(scratch, bag);
  w.string(key, scratch);
}

} // namespace

void append_json_set(std::string &out, const StringSet &values) {
  out.push_back('[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) {
      out.push_back(',');
    }
    append_json_string(out, values[i]);
  }
  out.push_back(']');
}

void append_downloads_details(std::string &out, const DownloadSummary &d) {
  out.push_back('{');
  ObjectWriter(out)
      .string("Application", d.application)
      .string("AccountObjectId", d.account_object_id)
      .string("UserId", d.user_id)
      .string("IPAddress", d.ip_address)
      .string("City", d.city)
      .string("CountryCode", d.country_code)
      .time("CloudAppEvent_StartTime", d.start_time)
      .time("CloudAppEvent_EndTime", d.end_time)
      .set("CloudAppEvent_Files", d.files)
      .count("FileCount", d.files.size());
  out.push_back('}');
}

void append_copies_details(std::string &out, const FileCopySummary &c) {
  out.push_back('{');
  ObjectWriter(out)
      .string("InitiatingProcessAccountUpn", c.initiating_process_account_upn)
      .string("DeviceId", c.device_id)
      .string("DeviceName", c.device_name)
      .string("InitiatingProcessFolderPath", c.initiating_process_folder_path)
      .string("InitiatingProcessParentFileName", c.initiating_process_parent_file_name)
      .time("DeviceFileEvent_StartTime", c.start_time)
      .time("DeviceFileEvent_EndTime", c.end_time)
      .set("DeviceFileEvent_Files", c.files)
      .count("DeviceFileEvent_FileCount", c.files.size());
  out.push_back('}');
}

void append_usb_details(std::string &out, const UsbMount &m) {
  out.push_back('{');
  ObjectWriter(out)
      .time("USB_TimeGenerated", m.time)
      .string("DeviceId", m.device_id)
      .string("USB_DriveLetter", m.drive_letter)
      .string("USB_ProductName", m.product_name)
      .string("USB_Volume", m.volume);
  out.push_back('}');
}

namespace {

/// FileSize as a JSON number when it is one (an integer as tostring() prints it), null when the
/// row had none, else the text as a string (a CSV export's cell that is not a number).
void append_file_size(std::string &out, std::string_view text) {
  if (text.empty()) {
    out += "null";
    return;
  }
  const std::string_view digits = text.front() == '-' ? text.substr(1) : text;
  const bool number =
      !digits.empty() && digits.size() <= 19 && (digits.size() == 1 || digits.front() != '0') &&
      std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (number) {
    out += text;
  } else {
    append_json_string(out, text);
  }
}

} // namespace

void append_enrichment(std::string &out, const Enrichment &e) {
  out.push_back('{');
  ObjectWriter w(out);
  w.string("FindingId", e.finding_id).set("SystemAlertIds", e.system_alert_ids);
  w.raw("UsbDrives", "[");
  for (std::size_t i = 0; i < e.usb_drives.size(); ++i) {
    const UsbDrive &d = e.usb_drives[i];
    out += i > 0 ? ",{" : "{";
    ObjectWriter(out)
        .string("SerialNumber", d.serial_number)
        .string("Manufacturer", d.manufacturer)
        .string("ProductName", d.product_name)
        .string("ProductRevision", d.product_revision)
        .string("BusType", d.bus_type);
    out.push_back('}');
  }
  out.push_back(']');
  w.raw("MatchedFiles", "[");
  for (std::size_t i = 0; i < e.matched_files.size(); ++i) {
    const MatchedFileCopies &file = e.matched_files[i];
    out += i > 0 ? ",{" : "{";
    ObjectWriter fw(out);
    fw.string("FolderPath", file.folder_path).raw("Copies", "[");
    for (std::size_t j = 0; j < file.copies.size(); ++j) {
      const FileCopyEvent &copy = file.copies[j];
      out += j > 0 ? ",{" : "{";
      ObjectWriter cw(out);
      cw.time("TimeGenerated", copy.time)
          .string("ActionType", copy.action_type)
          .raw("FileSize", "");
      append_file_size(out, copy.file_size);
      cw.string("SHA256", copy.sha256);
      out.push_back('}');
    }
    out += "]}";
  }
  out += "]}";
}

void append_finding(std::string &out, const Finding &f, DetailsStyle style) {
  thread_local std::string scratch;
  out.push_back('{');
  ObjectWriter w(out);
  w.time("Alert_TimeGenerated", f.alert_time)
      .time("USB_TimeGenerated", f.usb_time)
      .string("UserId", f.user_id)
      .string("AADUserId", f.aad_user_id)
      .string("DeviceId", f.device_id)
      .string("DeviceName", f.device_name)
      .string("IPAddress", f.ip_address);
  if (style == DetailsStyle::objects) {
    // Straight into `out`: the default format pays for no copy.
    w.raw("CloudAppEvents_Details", "");
    append_downloads_details(out, f.downloads);
    w.raw("DeviceFileEvents_Details", "");
    append_copies_details(out, f.copies);
    w.raw("USB_Details", "");
    append_usb_details(out, f.mount);
  } else {
    write_details_string(w, scratch, "CloudAppEvents_Details", f.downloads,
                         append_downloads_details);
    write_details_string(w, scratch, "DeviceFileEvents_Details", f.copies, append_copies_details);
    write_details_string(w, scratch, "USB_Details", f.mount, append_usb_details);
  }
  w.set("USB_Drive_MatchedFiles", f.matched_files)
      .string("InitiatingProcessFileName", f.initiating_process_file_name)
      .string("InitiatingProcessFolderPath", f.initiating_process_folder_path)
      .string("HostName", f.host_name)
      .string("HostNameDomain", f.host_name_domain)
      .string("AccountName", f.account_name)
      .string("AccountUPNSuffix", f.account_upn_suffix);
  if (f.enrichment) {
    w.raw("Enrichment", "");
    append_enrichment(out, *f.enrichment);
  }
  out.push_back('}');
}

std::string format_finding(const Finding &finding) {
  std::string out;
  append_finding(out, finding);
  return out;
}

void write_json_lines(const FindingTable &findings, const OutputSink &sink, DetailsStyle style) {
  output::PieceBuffer buffer(sink);
  for (const Finding &finding : findings) {
    append_finding(buffer.text, finding, style);
    buffer.text.push_back('\n');
    buffer.flush_if_full();
  }
  buffer.finish();
}

std::string render_json_lines(const FindingTable &findings, DetailsStyle style) {
  std::string out;
  write_json_lines(
      findings, [&](std::string_view piece) { out += piece; }, style);
  return out;
}

} // namespace usbexfil
