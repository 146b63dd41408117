#include "usbexfil/output/json_lines_writer.hpp"

#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <tuple>
#include <vector>

namespace usbexfil {
namespace {

/// Bytes gathered before the sink is called.
constexpr std::size_t OUTPUT_PIECE = 64 * 1024;

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

void append_finding(std::string &out, const Finding &f) {
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
}

std::string format_finding(const Finding &finding) {
  std::string out;
  append_finding(out, finding);
  return out;
}

void write_json_lines(const FindingTable &findings, const OutputSink &sink) {
  // Sort by the key columns first; only findings that tie on all of them are formatted before
  // being placed, to order them by their text. The rest go straight into one reused buffer.
  const auto key = [&](std::size_t i) {
    const Finding &f = findings[i];
    return std::make_tuple(f.alert_time.sort_key(), f.user_id, f.device_id, f.usb_time.sort_key());
  };
  std::vector<std::size_t> order(findings.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return key(a) < key(b); });

  std::string buffer;
  buffer.reserve(2 * OUTPUT_PIECE); // room for the finding that crosses the mark
  std::vector<std::string> tied;
  const auto flush_if_full = [&] {
    if (buffer.size() >= OUTPUT_PIECE) {
      sink(buffer);
      buffer.clear();
    }
  };
  for (std::size_t first = 0; first < order.size();) {
    std::size_t last = first + 1;
    while (last < order.size() && key(order[last]) == key(order[first])) {
      ++last;
    }
    if (last - first == 1) {
      append_finding(buffer, findings[order[first]]);
      buffer.push_back('\n');
      flush_if_full();
    } else {
      tied.clear();
      for (std::size_t i = first; i < last; ++i) {
        tied.push_back(format_finding(findings[order[i]]));
      }
      std::sort(tied.begin(), tied.end());
      for (const std::string &line : tied) {
        buffer += line;
        buffer.push_back('\n');
        flush_if_full();
      }
    }
    first = last;
  }
  if (!buffer.empty()) {
    sink(buffer);
  }
}

std::string render_json_lines(const FindingTable &findings) {
  std::string out;
  write_json_lines(findings, [&](std::string_view piece) { out += piece; });
  return out;
}

} // namespace usbexfil
