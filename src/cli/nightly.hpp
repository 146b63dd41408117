// What a scheduled run needs (docs/operations.md): a window given as a lookback from now, an
// output folder with one findings file and one run file per window, a lock so that two runs do
// not write the same folder, and the run file itself (also `--stats-json`).
#pragma once

#include "usbexfil/datetime.hpp"
#include "usbexfil/load/inputs.hpp"
#include "usbexfil/pipeline.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace usbexfil::cli {

/// `1d`, `12h`, `90m`, `30s`, or several (`1d12h`), as 100 ns ticks; nothing for anything else
/// (a missing unit, zero, a number too large).
std::optional<std::int64_t> parse_duration(std::string_view text);

/// The clock as a Datetime (whole 100 ns ticks, UTC).
Datetime clock_now();

/// A time for a file name: `20260310T000000Z` (and `.1234567` before the Z if it has a fraction).
std::string file_stamp(Datetime time);

/// `findings-<from>_<to>` and `run-<from>_<to>` for a window with both bounds.
std::string window_file_stem(std::string_view kind, const TimeWindow &window);

/// An exclusive lock on DIR/.usbexfil.lock (flock), held for the object's life. Throws Error
/// naming the folder (and the pid written in the lock) when another run holds it, or when the
/// folder cannot be used.
class DirectoryLock {
public:
  explicit DirectoryLock(const std::string &dir);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock &) = delete;
  DirectoryLock &operator=(const DirectoryLock &) = delete;

private:
  int fd_ = -1;
};

/// Everything the run file says: how the run was asked for, what it read, what it found.
struct RunRecord {
  std::vector<std::string> command; ///< argv
  Datetime started;
  Datetime finished;
  double seconds = 0;
  TimeWindow window;
  const Inputs *inputs = nullptr;         ///< null when the inputs could not be resolved
  const PipelineResult *result = nullptr; ///< null when the run failed
  std::string findings_file;              ///< the findings written (empty: stdout, or none)
  std::string format;                     ///< --format's name
  int exit_status = 0;
  std::string error; ///< the error an exit 2 reports
};

/// The run file: one JSON object (docs/operations.md lists its keys), ending with a newline.
std::string run_record_json(const RunRecord &record);

} // namespace usbexfil::cli
