#include "cli/progress.hpp"

#include "cli/report.hpp"
#include "usbexfil/load/progress.hpp"
#include "usbexfil/load/table_files.hpp"
#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace usbexfil::cli {

std::string progress_text(std::string_view table, std::uint64_t read, std::uint64_t total,
                          double seconds) {
  std::string text = fmt::format("{}: {}", table, human_bytes(read));
  if (total > 0 && read <= total) {
    text += fmt::format(" of {} ({} %)", human_bytes(total), read * 100 / total);
  }
  if (seconds > 0.5 && read > 0) {
    const double rate = static_cast<double>(read) / seconds;
    text += fmt::format(", {}/s", human_bytes(static_cast<std::uint64_t>(rate)));
    if (total > read) {
      text += fmt::format(", about {:.0f} s left", static_cast<double>(total - read) / rate);
    }
  }
  return text;
}

bool ProgressLine::wanted(bool quiet) {
  const char *term = std::getenv("TERM");
  return !quiet && ::isatty(STDERR_FILENO) == 1 && !(term && std::strcmp(term, "dumb") == 0);
}

std::chrono::milliseconds ProgressLine::delay() {
  if (const char *text = std::getenv("USBEXFIL_PROGRESS_DELAY_MS")) {
    return std::chrono::milliseconds(std::strtoul(text, nullptr, 10));
  }
  return std::chrono::milliseconds(1000);
}

ProgressLine::ProgressLine(bool enabled, std::chrono::milliseconds delay) {
  if (enabled) {
    thread_ = std::thread([this, delay] { draw_loop(delay); });
  }
}

ProgressLine::~ProgressLine() { stop(); }

void ProgressLine::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  if (drawn_) {
    std::fputs("\r\x1b[K", stderr); // erase the line: the summary follows on a clean line
    std::fflush(stderr);
    drawn_ = false;
  }
}

void ProgressLine::draw_loop(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  if (wake_.wait_for(lock, delay, [this] { return stopping_; })) {
    return;
  }
  for (;;) {
    const int table = progress::table.load(std::memory_order_acquire);
    if (table >= 0) {
      const std::uint64_t read = progress::bytes_read.load(std::memory_order_relaxed) -
                                 progress::table_start.load(std::memory_order_relaxed);
      const std::int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                      std::chrono::steady_clock::now().time_since_epoch())
                                      .count();
      const double seconds =
          static_cast<double>(now_ns - progress::table_started_ns.load(std::memory_order_relaxed)) /
          1e9;
      const std::string text =
          progress_text(table_name(static_cast<SourceTable>(table)), read,
                        progress::table_bytes.load(std::memory_order_relaxed), seconds);
      std::fprintf(stderr, "\rusbexfil: %s\x1b[K", text.c_str());
      std::fflush(stderr);
      drawn_ = true;
    }
    if (wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping_; })) {
      return;
    }
  }
}

} // namespace usbexfil::cli
