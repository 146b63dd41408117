// A progress line on stderr while the rule runs: only on a terminal, only for a run longer than
// about a second, erased when the run ends (docs/cli.md, "Progress").
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace usbexfil::cli {

/// "DeviceFileEvents: 1.2 GB of 3.4 GB (35 %), 480.0 MB/s, about 5 s left": the current table's
/// scan, `read` of `total` bytes after `seconds` of it.
std::string progress_text(std::string_view table, std::uint64_t read, std::uint64_t total,
                          double seconds);

/// Draws progress_text every 200 ms on stderr from a thread of its own, from `delay` after it
/// starts, until stop() (or destruction), which erases the line. Does nothing when `enabled` is
/// false.
class ProgressLine {
public:
  ProgressLine(bool enabled, std::chrono::milliseconds delay);
  ~ProgressLine();
  ProgressLine(const ProgressLine &) = delete;
  ProgressLine &operator=(const ProgressLine &) = delete;
  void stop();

  /// Whether a run should show progress: stderr is a terminal, not `-q`, TERM is not `dumb`.
  static bool wanted(bool quiet);
  /// The delay before the first line: 1 s, or USBEXFIL_PROGRESS_DELAY_MS (for tests).
  static std::chrono::milliseconds delay();

private:
  void draw_loop(std::chrono::milliseconds delay);

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

} // namespace usbexfil::cli
