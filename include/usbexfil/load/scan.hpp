// How the loaders read files, and what they report: options shared by all four loaders, the
// time window, and per-table statistics with the data errors found.
#pragma once

#include "usbexfil/datetime.hpp"
#include "usbexfil/diagnostics.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace usbexfil {

/// Options of a table scan.
struct ScanOptions {
  unsigned threads = 1; ///< at most this many parsing threads per table
  /// A table gets one thread per this many bytes of input (at least one, at most `threads`): on
  /// a few megabytes a second thread costs more to start and feed than it saves.
  std::uint64_t min_bytes_per_thread = std::uint64_t{4} << 20;
  std::size_t chunk_size = 2 << 20; ///< bytes read at once; a chunk ends on a line end
  bool strict = false;              ///< the first malformed line throws Error
  bool validate_all_lines = false;  ///< parse lines the cheap pre-filter would reject
  /// Bytes one record (a line, a value of a JSON sequence, a CSV record) may have; a longer one
  /// is a data error and skipped, so that one giant record costs bounded memory.
  std::size_t max_record_size = std::size_t{256} << 20;
};

/// The `[from, to)` window on TimeGenerated; a null bound is open.
struct TimeWindow {
  Datetime from;
  Datetime to;
  bool is_open() const { return from.is_null() && to.is_null(); }
  /// With a bound set, a null time is outside the window.
  bool contains(Datetime time) const {
    if (is_open()) {
      return true;
    }
    if (time.is_null()) {
      return false;
    }
    return (from.is_null() || from <= time) && (to.is_null() || time < to);
  }
};

/// The TimeGenerated values a table's window test saw: their span, and how many fell outside the
/// window. The test sees the rows the rule could use (after the cheap looks and the pushed-down
/// filters), not every row of the input: rows passed over unparsed have no time read.
struct TimeTally {
  Datetime first;            ///< earliest non-null time seen (null: none)
  Datetime last;             ///< latest non-null time seen
  std::uint64_t tested = 0;  ///< rows tested
  std::uint64_t outside = 0; ///< rows outside the window (a null time is, once a bound is set)
  void see(Datetime time) {
    ++tested;
    if (time.is_null()) {
      return;
    }
    if (first.is_null() || time < first) {
      first = time;
    }
    if (last.is_null() || last < time) {
      last = time;
    }
  }
  void merge(const TimeTally &other) {
    tested += other.tested;
    outside += other.outside;
    if (!other.first.is_null() && (first.is_null() || other.first < first)) {
      first = other.first;
    }
    if (!other.last.is_null() && (last.is_null() || last < other.last)) {
      last = other.last;
    }
  }
};

/// How one file (or archive member) was read by a scan, for `usbexfil inspect`.
struct FileReport {
  std::string label;
  std::string compression = "none"; ///< "none", "gzip", "zstd", "bzip2", "xz"
  bool utf16 = false;
  std::string shape;   ///< "JSON lines", "JSON sequence", "CSV", "empty", "zip archive", ...
  std::string records; ///< what its first record is: "rows", "envelopes", "query API response"...
  bool placed = false; ///< its records all belong to the scanned table
  std::string skipped; ///< why it was not read (no table, nested archive, ...); empty if read
  std::uint64_t records_read = 0; ///< records (rows of containers counted one by one)
  std::uint64_t errors = 0;       ///< data errors
  std::uint64_t warnings = 0;
};

/// What a table scan read, kept and skipped.
struct LoadStats {
  std::string table;
  std::size_t files = 0; ///< files and archive members read
  /// Files and members placed in the table, and records of other files that named it (D27):
  /// 0 means the table had no input.
  std::uint64_t inputs = 0;
  /// Files and members not placed in the table that were read for their records or that an
  /// archive places in another table (the run checks that something was read at all).
  std::uint64_t other_inputs = 0;
  bool scanned = false; ///< false when the pipeline had no need to read the table
  std::uint64_t bytes = 0;
  std::uint64_t rows_read = 0;    ///< records: non-blank lines, the rows of containers
  std::uint64_t rows_skipped = 0; ///< data errors: malformed records, damaged files
  std::uint64_t rows_kept = 0;    ///< rows materialized into the table
  /// Non-blank lines that the pre-filter passed over as holding nothing the rule needs: checked
  /// only for the record shape (`{...}` or `[...]`, no NUL byte), not parsed. 0 with validate_all.
  std::uint64_t lines_passed_over = 0;
  std::uint64_t warnings = 0;  ///< values of an unexpected type (rows kept)
  TimeTally times;             ///< what the window test saw
  unsigned threads = 1;        ///< threads the scan ran on
  unsigned threads_wanted = 1; ///< threads it would have run on (more when the system refused)
  double seconds = 0;
  std::vector<FileDiagnostics> diagnostics; ///< per file, capped
  /// Warnings about files as a whole (no table, records naming no table), one line each.
  std::vector<std::string> notes;
  /// Every file and member the scan met, in the order met (indexed by LineContext::file()).
  std::vector<FileReport> file_reports;
};

} // namespace usbexfil
