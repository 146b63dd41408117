// Reads a table's sources in large chunks of record lines and hands each non-blank line to a
// worker.
//
// Two kinds of chunk. A plain JSON-lines file (no compression, no UTF-16, larger than a few
// chunks) is read *positionally*: a chunk is `chunk_size` bytes of it and owns the lines whose
// first byte lies in it, and each worker reads its chunks itself (pread) into a reused buffer
// with LINE_PADDING readable bytes after the content, so a line can be parsed in place. Every
// other source (compressed, archived, UTF-16, a JSON sequence, CSV, a small file) is read
// *sequentially* by one worker, its producer, which frames it into batches of record lines
// (record_stream.hpp) that any idle worker takes; a producer that gets ahead of the others
// processes its own batches, so memory stays at a few batches per thread.
//
// Chunks finish in any order; results are folded per file in chunk order, so diagnostics name
// the right line whatever the interleaving.
#pragma once

#include "load/padded_buffer.hpp"
#include "usbexfil/load/inputs.hpp"
#include "usbexfil/load/scan.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace usbexfil {

/// Where a source's records go in the scan of one table (inputs.md section 3).
struct RecordPlace {
  SourceTable table = SourceTable::security_alert; ///< the table scanned
  /// Placed in `table` by its option, name or folder (D26, D37): every row is the table's.
  /// Otherwise each row names its table (D22).
  bool placed = true;
  /// Its records spell every column as a `"key":` member, so the raw looks (prefilter.hpp) are
  /// exact; false for positional rows (query API responses), which only the full parse reads.
  bool keyed = true;
  /// A record line holding an array is a document array (JSON sequences, CSV rows); in JSON
  /// lines it is a data error (D11).
  bool arrays_are_documents = true;
};

/// Where a worker reports on the line it is given; owned by the scanner, one per chunk.
class LineContext {
public:
  /// The line (or one record or element of it) is malformed and skipped.
  void error(std::string message, std::uint64_t column = 0);
  /// A value of an unexpected type; the row is kept.
  void warning(std::string message, std::uint64_t column = 0);
  /// Where the line's records go.
  const RecordPlace &place() const { return *place_; }
  /// The line held `count` rows (a container), not one.
  void add_rows(std::size_t count) { row_adjust_ += static_cast<std::int64_t>(count) - 1; }
  /// A row of an unplaced source names none of the four tables (D25).
  void unrouted() { ++unrouted_; }
  /// A row of an unplaced source names the scanned table (D22).
  void routed() { ++routed_; }
  /// The file (or member) the line is from: its index in LoadStats::file_reports.
  std::size_t file() const { return file_; }
  /// The line lacks the record shape or holds a control byte (has_record_shape): a worker must
  /// parse it in full, never pass it over by a cheap look, so that the damage is reported.
  bool must_parse() const { return must_parse_; }
  /// The worker parses the line in full (RecordExpander::rows); lines passed over by the cheap
  /// looks are counted for the summary from what is left.
  void parsed() { ++parsed_; }

  struct Pending {
    Diagnostic diagnostic; ///< file and line are filled in by the scanner
    std::uint64_t line_in_chunk;
  };

private:
  friend class ChunkWork;
  void add(Severity severity, std::string message, std::uint64_t column);
  std::uint64_t line_in_chunk_ = 0;
  bool must_parse_ = false;
  std::uint64_t parsed_ = 0;
  const RecordPlace *place_ = nullptr;
  std::size_t file_ = 0;
  std::int64_t row_adjust_ = 0;
  std::uint64_t unrouted_ = 0;
  std::uint64_t routed_ = 0;
  std::uint64_t errors_ = 0;
  std::uint64_t warnings_ = 0;
  std::uint64_t not_kept_ = 0;
  std::vector<Pending> kept_;
  std::optional<Pending> first_error_; ///< the chunk's first error, even past the cap
};

/// A line that holds only spaces, tabs and CRs (or nothing) is blank: not a row.
inline bool is_blank_line(std::string_view line) {
  for (const char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') {
      return false;
    }
  }
  return true;
}

/// The shape every record line has: its first and last bytes other than spaces, tabs and CRs
/// are `{` and `}` (an object) or `[` and `]` (an array of rows). `first` and `last` are those
/// bytes of a line that is not blank. A line without this shape, or holding a control byte below
/// tab (has_control_byte), cannot be a record, whatever the rule needs from it: the sieve hands it
/// on to be parsed and reported.
inline bool has_record_shape(char first, char last) {
  return (first == '{' && last == '}') || (first == '[' && last == ']');
}

/// Whether `line` holds a byte from NUL to backspace (0x00-0x08): JSON allows none of them raw,
/// and the sieve finds them with its newline test (one unsigned compare with '\n').
inline bool has_control_byte(std::string_view line) {
  return std::any_of(line.begin(), line.end(),
                     [](char c) { return static_cast<unsigned char>(c) < '\t'; });
}

/// The lines of a range that a sieve could not rule out, and what the range held.
struct SievedLines {
  struct Line {
    std::size_t begin; ///< offsets in the range; `end` is the newline (or the range's end)
    std::size_t end;
    std::uint64_t index;  ///< the line's number within the range, from 0
    bool suspect = false; ///< no record shape, or a control byte: always parsed in full
  };
  std::uint64_t lines = 0; ///< physical lines in the range
  std::uint64_t blank = 0; ///< of which blank (only spaces, tabs and CRs, or empty)
  std::vector<Line> kept;
};

/// Where `line`'s first and last bytes other than spaces, tabs and CRs are; `first == npos` for a
/// blank line.
inline std::pair<std::size_t, std::size_t> content_bounds(std::string_view line) {
  const std::size_t first = line.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) {
    return {first, first};
  }
  return {first, line.find_last_not_of(" \t\r")};
}

/// Splits the whole lines of `[begin, end)` at newlines into `out`: counts them and the blank
/// ones, and keeps the lines (without newline) that are not blank and that `keep(line)` holds
/// for or that lack the record shape or hold a control byte (marked `suspect`).
template <class Keep>
void split_lines(const char *begin, const char *end, SievedLines &out, Keep keep) {
  out.lines = 0;
  out.blank = 0;
  out.kept.clear();
  const std::string_view range(begin, static_cast<std::size_t>(end - begin));
  for (std::size_t start = 0; start < range.size();) {
    const std::size_t newline = std::min(range.find('\n', start), range.size());
    const std::string_view line = range.substr(start, newline - start);
    const auto [first, last] = content_bounds(line);
    if (first == std::string_view::npos) {
      ++out.blank;
    } else {
      const bool suspect = !has_record_shape(line[first], line[last]) || has_control_byte(line);
      if (suspect || keep(line)) {
        out.kept.push_back({start, newline, out.lines, suspect});
      }
    }
    ++out.lines;
    start = newline + 1;
  }
}

class RawPrefilter;

/// A per-thread consumer of lines. `line` has at least LINE_PADDING readable bytes after
/// its end; it never holds the line end, a CR before it, or a UTF-8 byte-order mark.
class LineWorker {
public:
  virtual ~LineWorker() = default;
  virtual void on_line(std::string_view line, LineContext &context) = 0;
  /// A sieve the scanner runs over each chunk first (RawPrefilter::sieve): lines it rules out
  /// are counted but never handed to `on_line`, so it must rule out only lines that `on_line`
  /// would skip without a diagnostic. Null (the default): every line is handed over.
  virtual const RawPrefilter *sieve() const { return nullptr; }
};

/// The threads a scan of `sources` gets: `options.threads`, fewer for inputs smaller than
/// `options.min_bytes_per_thread` per thread, at least one.
unsigned scan_threads(const std::vector<ScanSource> &sources, const ScanOptions &options);

/// Scans `sources` for `table` with one worker per thread (`workers.size()` threads) and
/// returns the totals: bytes, rows read, errors, warnings and the capped diagnostics per file.
/// Under `options.strict` the first data error (in file and line order) throws Error. Throws
/// Error when a file cannot be opened or read.
LoadStats scan_sources(SourceTable table, const std::vector<ScanSource> &sources,
                       const ScanOptions &options, const std::vector<LineWorker *> &workers);

/// Plain files that all belong to one table, as scan sources (the loaders' file-list forms).
struct PlacedFiles {
  explicit PlacedFiles(const std::vector<std::string> &paths);
  std::vector<InputFile> files;
  std::vector<ScanSource> sources;
};

/// Scans plain files that all belong to the scanned table (tests, benchmarks).
LoadStats scan_lines(const std::vector<std::string> &files, const ScanOptions &options,
                     const std::vector<LineWorker *> &workers);

} // namespace usbexfil
