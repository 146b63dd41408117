#include "cli/nightly.hpp"

#include "cli/report.hpp"

#include "load/simd/level.hpp"
#include "usbexfil/error.hpp"
#include "usbexfil/finding_id.hpp"
#include "usbexfil/text.hpp"
#include "usbexfil_version.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <limits>

namespace usbexfil::cli {

std::optional<std::int64_t> parse_duration(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  constexpr std::int64_t MAX = std::numeric_limits<std::int64_t>::max();
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t number = 0;
    const std::size_t digits_start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (number > (MAX - 9) / 10) {
        return std::nullopt;
      }
      number = number * 10 + (text[i] - '0');
      ++i;
    }
    if (i == digits_start || i == text.size()) {
      return std::nullopt; // a unit without a number, or a number without a unit
    }
    std::int64_t unit = 0;
    switch (text[i]) {
    case 'd':
      unit = 86400 * TICKS_PER_SECOND;
      break;
    case 'h':
      unit = 3600 * TICKS_PER_SECOND;
      break;
    case 'm':
      unit = 60 * TICKS_PER_SECOND;
      break;
    case 's':
      unit = TICKS_PER_SECOND;
      break;
    default:
      return std::nullopt;
    }
    ++i;
    if (number > (MAX - total) / unit) {
      return std::nullopt;
    }
    total += number * unit;
  }
  if (total == 0) {
    return std::nullopt;
  }
  return total;
}

Datetime clock_now() {
  const auto now = std::chrono::system_clock::now();
  const std::int64_t ticks_since_1970 =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count() / 100;
  // Datetime counts from 0001-01-01; the ticks of 1970-01-01 come from the same parser the
  // tables' times go through.
  const Datetime epoch = parse_datetime("1970-01-01T00:00:00Z");
  return Datetime::from_ticks(epoch.ticks() + ticks_since_1970);
}

std::string file_stamp(Datetime time) {
  const std::string iso = format_datetime(time); // 2026-03-10T00:00:00.0000000Z
  std::string stamp;
  for (const char c : iso.substr(0, 19)) {
    if (c != '-' && c != ':') {
      stamp.push_back(c);
    }
  }
  std::string fraction = iso.substr(20, 7);
  while (!fraction.empty() && fraction.back() == '0') {
    fraction.pop_back();
  }
  if (!fraction.empty()) {
    stamp += "." + fraction;
  }
  return stamp + "Z";
}

std::string window_file_stem(std::string_view kind, const TimeWindow &window) {
  return fmt::format("{}-{}_{}", kind, file_stamp(window.from), file_stamp(window.to));
}

DirectoryLock::DirectoryLock(const std::string &dir) {
  const std::string path = dir + "/.usbexfil.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw Error(fmt::format("{}: cannot create the lock file: {}", path, std::strerror(errno)));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char holder[32] = {};
    const ssize_t n = ::pread(fd_, holder, sizeof holder - 1, 0);
    std::string pid = n > 0 ? std::string(holder, static_cast<std::size_t>(n)) : "";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) {
      pid.pop_back();
    }
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      throw Error(fmt::format("{}: another usbexfil run is writing this folder{} (lock {})", dir,
                              pid.empty() ? "" : " (pid " + pid + ")", path));
    }
    throw Error(fmt::format("{}: cannot lock: {}", path, std::strerror(error)));
  }
  const std::string pid = fmt::format("{}\n", ::getpid());
  if (::ftruncate(fd_, 0) == 0) {
    (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
  }
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) {
    (void)!::ftruncate(fd_, 0); // no stale pid for the next run to name
    ::close(fd_);               // releases the lock; the empty file stays
  }
}

namespace {

/// A pretty-printed JSON object, two spaces a level.
class JsonOut {
public:
  JsonOut &open(std::string_view key, char bracket) {
    item(key);
    out_.push_back(bracket);
    first_ = true;
    ++depth_;
    return *this;
  }
  JsonOut &close(char bracket) {
    --depth_;
    if (!first_) {
      newline();
    }
    out_.push_back(bracket);
    first_ = false;
    return *this;
  }
  JsonOut &string(std::string_view key, std::string_view value) {
    item(key);
    append_json_string(out_, value);
    return *this;
  }
  JsonOut &time(std::string_view key, Datetime value) {
    if (value.is_null()) {
      return null(key);
    }
    return string(key, format_datetime(value));
  }
  JsonOut &number(std::string_view key, std::uint64_t value) {
    item(key);
    fmt::format_to(std::back_inserter(out_), "{}", value);
    return *this;
  }
  JsonOut &seconds(std::string_view key, double value) {
    item(key);
    fmt::format_to(std::back_inserter(out_), "{:.3f}", value);
    return *this;
  }
  JsonOut &boolean(std::string_view key, bool value) {
    item(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  JsonOut &null(std::string_view key) {
    item(key);
    out_ += "null";
    return *this;
  }
  std::string take() {
    out_.push_back('\n');
    return std::move(out_);
  }

private:
  /// Starts a value: a comma after the previous one, a new line, the key in an object.
  void item(std::string_view key) {
    if (depth_ > 0) {
      if (!first_) {
        out_.push_back(',');
      }
      newline();
    }
    first_ = false;
    if (!key.empty()) {
      append_json_string(out_, key);
      out_ += ": ";
    }
  }
  void newline() {
    out_.push_back('\n');
    out_.append(2 * depth_, ' ');
  }
  std::string out_;
  std::size_t depth_ = 0;
  bool first_ = true;
};

} // namespace

std::string run_record_json(const RunRecord &record) {
  JsonOut json;
  json.open("", '{');
  json.open("usbexfil", '{')
      .string("version", USBEXFIL_VERSION)
      .string("commit", USBEXFIL_COMMIT)
      .string("build", fmt::format("{}, {}", USBEXFIL_BUILD_TYPE, USBEXFIL_BUILD_TARGET))
      .string("simd", fmt::format("pre-filter {}, JSON parser {}", simd::name(simd::active()),
                                  simd::json_parser_kernel()))
      .close('}');
  json.open("command", '[');
  for (const std::string &word : record.command) {
    json.string("", word);
  }
  json.close(']');
  json.time("started", record.started).time("finished", record.finished);
  json.seconds("seconds", record.seconds);
  json.number("peak_memory_bytes", peak_memory_bytes());
  json.open("window", '{').time("from", record.window.from).time("to", record.window.to).close('}');
  json.number("exit_status", static_cast<std::uint64_t>(record.exit_status));
  if (record.error.empty()) {
    json.null("error");
  } else {
    json.string("error", record.error);
  }
  json.open("inputs", '[');
  if (record.inputs) {
    for (const InputFile &file : record.inputs->files) {
      json.open("", '{').string("path", file.label).number("bytes", file.size).close('}');
    }
  }
  json.close(']');
  json.open("tables", '[');
  if (record.result) {
    for (const LoadStats &table : record.result->tables) {
      json.open("", '{')
          .string("table", table.table)
          .boolean("read", table.scanned)
          .number("files", table.files)
          .number("bytes", table.bytes)
          .number("rows_read", table.rows_read)
          .number("rows_skipped", table.rows_skipped)
          .number("lines_passed_over", table.lines_passed_over)
          .number("rows_used", table.rows_kept)
          .number("warnings", table.warnings)
          .time("time_first", table.times.first)
          .time("time_last", table.times.last)
          .number("rows_outside_window", table.times.outside)
          .seconds("seconds", table.seconds)
          .close('}');
    }
  }
  json.close(']');
  json.open("stages", '[');
  if (record.result) {
    for (const StageStats &stage : record.result->stages) {
      json.open("", '{')
          .string("name", stage.name)
          .number("rows_in", stage.rows_in)
          .number("rows_out", stage.rows_out)
          .seconds("seconds", stage.seconds)
          .close('}');
    }
  }
  json.close(']');
  json.open("warnings", '[');
  if (record.result) {
    for (const std::string &warning : record.result->warnings) {
      json.string("", warning);
    }
    for (const LoadStats &table : record.result->tables) {
      for (const std::string &note : table.notes) {
        json.string("", note);
      }
    }
  }
  json.close(']');
  json.open("findings", '{');
  if (record.result) {
    json.number("count", record.result->findings.size());
  } else {
    json.null("count");
  }
  if (record.findings_file.empty()) {
    json.null("file");
  } else {
    json.string("file", record.findings_file);
  }
  json.string("format", record.format);
  json.open("ids", '[');
  if (record.result) {
    for (const Finding &finding : record.result->findings) {
      json.open("", '{')
          .string("FindingId", finding_id(finding))
          .time("Alert_TimeGenerated", finding.alert_time)
          .string("UserId", finding.user_id)
          .string("DeviceId", finding.device_id)
          .string("DeviceName", finding.device_name)
          .time("USB_TimeGenerated", finding.usb_time)
          .close('}');
    }
  }
  json.close(']').close('}');
  json.close('}');
  return json.take();
}

} // namespace usbexfil::cli
