// The table format, for a person at a terminal: one block per finding, a label column and a
// value column, values wrapped to the terminal's width. Every value from the data passes
// through escape_terminal, so an input value cannot drive the terminal; ANSI colours only when
// the caller asks (docs/cli.md: a TTY, NO_COLOR unset, not -o FILE). Times are UTC, to the
// second; the exact values are in the JSON formats.
#include "output/piece_buffer.hpp"
#include "output/writers.hpp"
#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>

namespace usbexfil::output {
namespace {

constexpr std::size_t LABEL_WIDTH = 11; // "Downloads  "
constexpr std::size_t MIN_WIDTH = 40;

constexpr std::string_view RESET = "\x1b[0m";
constexpr std::string_view BOLD = "\x1b[1m";
constexpr std::string_view LABEL = "\x1b[36m";   // cyan
constexpr std::string_view ALERT = "\x1b[1;31m"; // bold red
constexpr std::string_view MATCHED = "\x1b[33m"; // yellow
constexpr std::string_view RULE = "\x1b[1;36m";  // bold cyan

/// Columns a UTF-8 text takes, counting every code point as one.
std::size_t columns(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

/// Byte length of the longest prefix of `text` that takes at most `limit` columns, ending on a
/// code point boundary.
std::size_t prefix_bytes(std::string_view text, std::size_t limit) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (seen == limit) {
        return i;
      }
      ++seen;
    }
  }
  return text.size();
}

class TableWriter final : public FindingsWriter {
public:
  TableWriter(bool color, std::size_t width) : color_(color), width_(std::max(width, MIN_WIDTH)) {}

  void write(const FindingTable &findings, const OutputSink &sink) const override {
    PieceBuffer buffer(sink);
    std::string &out = buffer.text;
    if (findings.empty()) {
      out += "No findings.\n";
    }
    for (std::size_t i = 0; i < findings.size(); ++i) {
      if (i > 0) {
        out.push_back('\n');
      }
      block(out, findings[i], i + 1, findings.size());
      buffer.flush_if_full();
    }
    buffer.finish();
  }

private:
  void styled(std::string &out, std::string_view style, std::string_view text) const {
    if (color_ && !style.empty()) {
      out += style;
      out += text;
      out += RESET;
    } else {
      out += text;
    }
  }

  /// `label` and `value` (escaped here), the value wrapped at spaces (or anywhere, for a word
  /// longer than a line) to the width, continuation lines indented under the value column.
  void line(std::string &out, std::string_view label, std::string_view value,
            std::string_view style = {}) const {
    scratch_.clear();
    append_terminal_escaped(scratch_, value);
    const std::size_t room = width_ - LABEL_WIDTH;
    std::string_view rest = scratch_;
    bool first = true;
    do {
      std::size_t take = rest.size();
      if (columns(rest) > room) {
        take = prefix_bytes(rest, room);
        const std::size_t space = rest.rfind(' ', take);
        if (space != std::string_view::npos && space > 0) {
          take = space;
        }
      }
      if (first) {
        styled(out, LABEL, label);
        out.append(LABEL_WIDTH - std::min(LABEL_WIDTH - 1, columns(label)), ' ');
      } else {
        out.append(LABEL_WIDTH, ' ');
      }
      std::string_view piece = rest.substr(0, take);
      while (!piece.empty() && piece.back() == ' ') {
        piece.remove_suffix(1);
      }
      styled(out, style, piece);
      out.push_back('\n');
      rest.remove_prefix(take);
      while (!rest.empty() && rest.front() == ' ') {
        rest.remove_prefix(1);
      }
      first = false;
    } while (!rest.empty());
  }

  void block(std::string &out, const Finding &f, std::size_t n, std::size_t total) const {
    const std::string title = fmt::format("Finding {} of {} ", n, total);
    styled(out, RULE, title + std::string(width_ - columns(title), '-'));
    out.push_back('\n');
    line(out, "User", f.user_id, BOLD);
    if (!f.aad_user_id.empty()) {
      line(out, "", std::string("AAD ") + std::string(f.aad_user_id));
    }
    line(out, "Device", f.device_name, BOLD);
    line(out, "", std::string("DeviceId ") + std::string(f.device_id));
    line(out, "Alert", short_datetime(f.alert_time) + "  from " + std::string(f.ip_address), ALERT);
    const DownloadSummary &d = f.downloads;
    std::string where(d.application);
    for (std::string_view part : {d.city, d.country_code}) {
      if (!part.empty()) {
        where += where.empty() ? "" : ", ";
        where += part;
      }
    }
    line(out, "Downloads",
         fmt::format("{}  {}{}", short_window(d.start_time, d.end_time),
                     plural(d.files.size(), "file"), where.empty() ? "" : "  " + where));
    const FileCopySummary &c = f.copies;
    std::string by(f.initiating_process_file_name);
    if (!c.initiating_process_parent_file_name.empty()) {
      by += fmt::format(" (parent {})", c.initiating_process_parent_file_name);
    }
    line(out, "Copies",
         fmt::format("{}  {}{}", short_window(c.start_time, c.end_time),
                     plural(c.files.size(), "file"), by.empty() ? "" : "  by " + by));
    const UsbMount &m = f.mount;
    std::string usb = short_datetime(m.time) + "  drive " + std::string(m.drive_letter);
    for (std::string_view part : {m.product_name, m.volume}) {
      if (!part.empty()) {
        usb += "  ";
        usb += part;
      }
    }
    line(out, "USB mount", usb);
    if (f.enrichment) {
      for (const UsbDrive &drive_info : f.enrichment->usb_drives) {
        std::string drive;
        for (std::string_view part : {drive_info.manufacturer, drive_info.product_name}) {
          if (!part.empty()) {
            drive += drive.empty() ? "" : " ";
            drive += part;
          }
        }
        if (!drive_info.product_revision.empty()) {
          drive += fmt::format(" rev {}", drive_info.product_revision);
        }
        if (!drive_info.serial_number.empty()) {
          drive += fmt::format("{}serial {}", drive.empty() ? "" : "  ", drive_info.serial_number);
        }
        line(out, "Drive", drive.empty() ? std::string("(no serial number or maker)") : drive);
      }
    }
    line(out, "Matched",
         fmt::format("{} on {}", plural(f.matched_files.size(), "file"), m.drive_letter));
    for (std::size_t i = 0; i < f.matched_files.size(); ++i) {
      line(out, "", f.matched_files[i], MATCHED);
      if (!f.enrichment) {
        continue;
      }
      for (const FileCopyEvent &copy : f.enrichment->matched_files[i].copies) {
        // The hash on a line of its own: 64 digits fit an 80-column terminal only so.
        std::string facts = fmt::format("  {} {}", copy.action_type, short_datetime(copy.time));
        if (!copy.file_size.empty()) {
          facts += fmt::format(", {} bytes", copy.file_size);
        }
        if (!copy.sha256.empty()) {
          facts += ", SHA256:";
        }
        line(out, "", facts);
        if (!copy.sha256.empty()) {
          line(out, "", "  " + std::string(copy.sha256));
        }
      }
    }
    if (f.enrichment) {
      const std::string alerts = fmt::format("{}", fmt::join(f.enrichment->system_alert_ids, " "));
      line(out, "Alert id", alerts.empty() ? std::string("(none)") : alerts);
      line(out, "FindingId", f.enrichment->finding_id);
    }
  }

  bool color_;
  std::size_t width_;
  mutable std::string scratch_; ///< line(): the escaped value, its capacity reused
};

} // namespace

std::unique_ptr<FindingsWriter> make_table_writer(const OutputOptions &options) {
  return std::make_unique<TableWriter>(options.color, options.width);
}

} // namespace usbexfil::output
