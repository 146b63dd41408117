#include "usbexfil/output/json_lines_writer.hpp"

#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <vector>

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
    return string(key, format_datetime(value));
  }
  ObjectWriter &set(std::string_view key, const StringSet &values) {
    write_key(key);
    out_.push_back('[');
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) {
        out_.push_back(',');
      }
      append_json_string(out_, values[i]);
    }
    out_.push_back(']');
    return *this;
  }
  ObjectWriter &count(std::string_view key, std::size_t value) {
    write_key(key);
    fmt::format_to(std::back_inserter(out_), "{}", value);
    return *this;
  }
  /// Starts a nested object under `key`; close it with `end()`.
  ObjectWriter &begin(std::string_view key) {
    write_key(key);
    out_.push_back('{');
    first_ = true;
    return *this;
  }
  ObjectWriter &end() {
    out_.push_back('}');
    first_ = false;
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

void write_downloads(ObjectWriter &w, const DownloadSummary &d) {
  w.begin("CloudAppEvents_Details")
      .string("Application", d.application)
      .string("AccountObjectId", d.account_object_id)
      .string("UserId", d.user_id)
      .string("IPAddress", d.ip_address)
      .string("City", d.city)
      .string("CountryCode", d.country_code)
      .time("CloudAppEvent_StartTime", d.start_time)
      .time("CloudAppEvent_EndTime", d.end_time)
      .set("CloudAppEvent_Files", d.files)
      .count("FileCount", d.files.size())
      .end();
}

void write_copies(ObjectWriter &w, const FileCopySummary &c) {
  w.begin("DeviceFileEvents_Details")
      .string("InitiatingProcessAccountUpn", c.initiating_process_account_upn)
      .string("DeviceId", c.device_id)
      .string("DeviceName", c.device_name)
      .string("InitiatingProcessFolderPath", c.initiating_process_folder_path)
      .string("InitiatingProcessParentFileName", c.initiating_process_parent_file_name)
      .time("DeviceFileEvent_StartTime", c.start_time)
      .time("DeviceFileEvent_EndTime", c.end_time)
      .set("DeviceFileEvent_Files", c.files)
      .count("DeviceFileEvent_FileCount", c.files.size())
      .end();
}

void write_mount(ObjectWriter &w, const UsbMount &m) {
  w.begin("USB_Details")
      .time("USB_TimeGenerated", m.time)
      .string("DeviceId", m.device_id)
      .string("USB_DriveLetter", m.drive_letter)
      .string("USB_ProductName", m.product_name)
      .string("USB_Volume", m.volume)
      .end();
}

} // namespace

std::string format_finding(const Finding &f) {
  std::string out;
  out.reserve(4096); // a finding is typically 1-3 KB: grow once at most
  out.push_back('{');
  ObjectWriter w(out);
  w.time("Alert_TimeGenerated", f.alert_time)
      .time("USB_TimeGenerated", f.usb_time)
      .string("UserId", f.user_id)
      .string("AADUserId", f.aad_user_id)
      .string("DeviceId", f.device_id)
      .string("DeviceName", f.device_name)
      .string("IPAddress", f.ip_address);
  write_downloads(w, f.downloads);
  write_copies(w, f.copies);
  write_mount(w, f.mount);
  w.set("USB_Drive_MatchedFiles", f.matched_files)
      .string("InitiatingProcessFileName", f.initiating_process_file_name)
      .string("InitiatingProcessFolderPath", f.initiating_process_folder_path)
      .string("HostName", f.host_name)
      .string("HostNameDomain", f.host_name_domain)
      .string("AccountName", f.account_name)
      .string("AccountUPNSuffix", f.account_upn_suffix);
  out.push_back('}');
  return out;
}

std::string render_json_lines(const FindingTable &findings) {
  struct Line {
    const Finding *finding;
    std::string text;
  };
  std::vector<Line> lines;
  lines.reserve(findings.size());
  for (const Finding &finding : findings) {
    lines.push_back({&finding, format_finding(finding)});
  }
  std::sort(lines.begin(), lines.end(), [&](const Line &a, const Line &b) {
    return std::make_tuple(a.finding->alert_time.sort_key(), a.finding->user_id,
                           a.finding->device_id, a.finding->usb_time.sort_key(),
                           std::string_view(a.text)) <
           std::make_tuple(b.finding->alert_time.sort_key(), b.finding->user_id,
                           b.finding->device_id, b.finding->usb_time.sort_key(),
                           std::string_view(b.text));
  });
  std::size_t total = 0;
  for (const Line &line : lines) {
    total += line.text.size() + 1;
  }
  std::string out;
  out.reserve(total);
  for (const Line &line : lines) {
    out += line.text;
    out.push_back('\n');
  }
  return out;
}

} // namespace usbexfil
