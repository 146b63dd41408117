#include "load/line_scanner.hpp"
#include "usbexfil/load/progress.hpp"

#include "load/archive_reader.hpp"
#include "load/huge_buffer.hpp"
#include "load/pooled.hpp"
#include "load/prefilter.hpp"
#include "load/record_stream.hpp"
#include "usbexfil/error.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <sys/stat.h>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace usbexfil {

void LineContext::error(std::string message, std::uint64_t column) {
  ++errors_;
  if (!first_error_) {
    Diagnostic diagnostic;
    diagnostic.severity = Severity::error;
    diagnostic.column = column;
    diagnostic.message = message;
    first_error_ = Pending{std::move(diagnostic), line_in_chunk_};
  }
  add(Severity::error, std::move(message), column);
}

void LineContext::warning(std::string message, std::uint64_t column) {
  ++warnings_;
  add(Severity::warning, std::move(message), column);
}

void LineContext::add(Severity severity, std::string message, std::uint64_t column) {
  if (kept_.size() >= DIAGNOSTICS_PER_FILE) {
    ++not_kept_;
    return;
  }
  Diagnostic diagnostic;
  diagnostic.severity = severity;
  diagnostic.column = column;
  diagnostic.message = std::move(message);
  kept_.push_back({std::move(diagnostic), line_in_chunk_});
}

namespace {

constexpr unsigned char BOM[] = {0xEF, 0xBB, 0xBF};

using Buffer = PaddedBuffer;

/// What a chunk left behind once processed.
struct ChunkResult {
  std::uint64_t lines = 0; ///< physical lines starting in the chunk, blank ones included
  std::uint64_t rows = 0;  ///< records: non-blank lines, containers counted by their rows
  /// Non-blank lines a cheap look passed over: checked only for the record shape, not parsed.
  std::uint64_t passed_over = 0;
  std::uint64_t errors = 0;
  std::uint64_t warnings = 0;
  std::uint64_t not_kept = 0;
  std::uint64_t unrouted = 0;
  std::uint64_t routed = 0;
  std::vector<LineContext::Pending> kept;
  std::optional<LineContext::Pending> first_error; ///< kept even past the cap, for --strict
  /// Each line's own number (framed records); empty: the chunk's lines follow the file's
  /// earlier chunks.
  std::vector<std::uint64_t> line_numbers;
  /// Errors of the framing or the file as a whole (line 0: no line).
  std::vector<std::pair<std::uint64_t, std::string>> file_errors;
  /// Framing errors at a line counted from the chunk's first line.
  std::vector<std::pair<std::uint64_t, std::string>> relative_errors;
};

} // namespace

/// Splits a range of whole lines into lines and feeds a worker; befriends LineContext.
class ChunkWork {
public:
  /// `sieved`: the calling thread's reused space for the sieve's answer.
  /// `max_record`: a line longer than this is a data error, not handed to the worker (the
  /// framer checks the lines it frames; positional chunks of a plain file are checked here).
  static ChunkResult run(const char *begin, const char *end, bool first_in_file,
                         const RecordPlace &place, std::size_t file, LineWorker &worker,
                         SievedLines &sieved, std::size_t max_record) {
    ChunkResult result;
    LineContext context;
    context.place_ = &place;
    context.file_ = file;
    if (first_in_file && end - begin >= 3 && std::memcmp(begin, BOM, 3) == 0) {
      begin += 3;
    }
    const RawPrefilter *sieve = place.keyed ? worker.sieve() : nullptr;
    if (sieve != nullptr) {
      sieve->sieve(begin, end, sieved);
    } else {
      split_lines(begin, end, sieved, [](std::string_view) { return true; });
    }
    std::uint64_t too_long = 0;
    for (const SievedLines::Line &kept : sieved.kept) {
      std::string_view line(begin + kept.begin, kept.end - kept.begin);
      if (line.back() == '\r') { // kept lines are not blank, so not empty
        line.remove_suffix(1);
      }
      context.line_in_chunk_ = kept.index;
      if (line.size() > max_record) {
        context.error(fmt::format("line longer than {} bytes; skipped", max_record));
        ++too_long;
        continue;
      }
      context.must_parse_ = kept.suspect;
      worker.on_line(line, context);
    }
    result.lines = sieved.lines;
    result.passed_over = sieved.lines - sieved.blank - too_long - context.parsed_;
    result.rows = static_cast<std::uint64_t>(std::max<std::int64_t>(
        0, static_cast<std::int64_t>(sieved.lines - sieved.blank) + context.row_adjust_));
    result.errors = context.errors_;
    result.warnings = context.warnings_;
    result.not_kept = context.not_kept_;
    result.unrouted = context.unrouted_;
    result.routed = context.routed_;
    result.kept = std::move(context.kept_);
    result.first_error = std::move(context.first_error_);
    return result;
  }
};

namespace {

/// An open input file, read with pread(2) by any thread.
struct PlainFile {
  std::string path;
  std::string label;
  int fd = -1;
  std::uint64_t size = 0;

  PlainFile(const std::string &file_path, std::string file_label)
      : path(file_path), label(std::move(file_label)) {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      throw Error(fmt::format("{}: cannot open: {}", label, std::strerror(errno)));
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
      const int saved = errno;
      ::close(fd);
      throw Error(fmt::format("{}: cannot open: {}", label, std::strerror(saved)));
    }
    if (S_ISDIR(info.st_mode)) {
      ::close(fd);
      throw Error(fmt::format("{}: cannot read: is a directory", label));
    }
    size = static_cast<std::uint64_t>(info.st_size);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  ~PlainFile() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  PlainFile(const PlainFile &) = delete;
  PlainFile &operator=(const PlainFile &) = delete;

  /// Appends bytes [offset, offset + count) (clipped at the end of the file) to `buffer`.
  void read_into(Buffer &buffer, std::uint64_t offset, std::uint64_t count) const {
    const std::uint64_t end = std::min(size, offset + count);
    buffer.reserve(buffer.size + static_cast<std::size_t>(end - std::min(end, offset)));
    while (offset < end) {
      const ssize_t got =
          ::pread(fd, buffer.data() + buffer.size, static_cast<std::size_t>(end - offset),
                  static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) {
        continue;
      }
      if (got <= 0) {
        throw Error(fmt::format("{}: cannot read: {}", label,
                                got == 0 ? "file shrank while reading" : std::strerror(errno)));
      }
      buffer.size += static_cast<std::size_t>(got);
      offset += static_cast<std::uint64_t>(got);
      progress::count(static_cast<std::uint64_t>(got));
    }
  }
};

/// Bytes read at a time past a chunk's end to finish its last line: most lines are shorter.
constexpr std::uint64_t READ_ON = std::uint64_t{16} * 1024;

/// Reads chunk `index` of `file` into `buffer` and returns the buffer range of its whole lines.
/// A line belongs to the chunk its first byte lies in, so a chunk reads one byte before its range
/// (a line starts at its first byte only if that byte follows a newline) and reads past its end
/// to finish its last line.
std::pair<std::size_t, std::size_t> read_chunk(const PlainFile &file, std::uint64_t chunk_size,
                                               std::size_t index, Buffer &buffer) {
  const std::uint64_t begin = index * chunk_size;
  const std::uint64_t end = std::min(file.size, begin + chunk_size);
  const std::uint64_t read_from = begin == 0 ? 0 : begin - 1;
  buffer.size = 0;
  // Room for any chunk of this size with its byte before and a read-on: every chunk of the scan
  // fits the first allocation (growing by one byte would double the buffer into fresh pages).
  buffer.reserve(static_cast<std::size_t>(chunk_size + 1 + READ_ON));
  file.read_into(buffer, read_from, end - read_from);
  const std::size_t limit = buffer.size; // buffer index of byte `end`
  std::size_t first = 0;
  if (begin > 0) {
    const void *newline = std::memchr(buffer.data(), '\n', limit - 1);
    if (newline == nullptr) {
      return {0, 0}; // no line starts here: the chunk lies inside a longer line
    }
    first = static_cast<std::size_t>(static_cast<const char *>(newline) - buffer.data()) + 1;
  }
  if (buffer.data()[limit - 1] == '\n' || end == file.size) {
    return {first, limit};
  }
  // The last line runs past `end`: read on, a line's worth at a time, to its newline or to the
  // end of the file.
  for (std::size_t searched = limit; read_from + buffer.size < file.size;) {
    file.read_into(buffer, read_from + buffer.size, READ_ON);
    const void *newline = std::memchr(buffer.data() + searched, '\n', buffer.size - searched);
    if (newline != nullptr) {
      return {first,
              static_cast<std::size_t>(static_cast<const char *>(newline) - buffer.data()) + 1};
    }
    searched = buffer.size;
  }
  return {first, buffer.size};
}

/// The scan's totals, folded from the chunks' results per file in chunk order as they arrive.
/// A result that arrives before an earlier chunk of its file waits for it; chunks are taken in
/// order, so at most about one per thread waits, and memory does not grow with the input. Line
/// numbers of positional chunks are resolved as results are folded (a file's first line + the
/// lines of its earlier chunks). Files (and archive members) are registered as they are met.
class ResultBook {
public:
  explicit ResultBook(bool strict) : strict_(strict) {}

  /// A new file (or member) labelled `label`, met while reading source number `source`; its
  /// diagnostics are dropped unless `report`. `placed`: its records all belong to the table.
  /// Totals list files in source order (and, within a source, in the order they were met)
  /// whichever thread met them first.
  std::size_t add_file(std::size_t source, std::string label, bool report, bool placed) {
    std::lock_guard lock(mutex_);
    (placed ? stats_.inputs : stats_.other_inputs) += 1;
    ++files_read_;
    File &file = files_.emplace_back();
    file.source = source;
    file.label = std::move(label);
    file.report = report;
    file.summary.label = file.label;
    file.summary.placed = placed;
    return files_.size() - 1;
  }
  /// Describes how a file is read (for inspect).
  template <class Describe> void describe(std::size_t file, Describe describe_file) {
    std::lock_guard lock(mutex_);
    describe_file(files_[file].summary);
  }
  /// An archive member that its path places in another table.
  void member_elsewhere() {
    std::lock_guard lock(mutex_);
    ++stats_.other_inputs;
  }
  /// A file read for its records after all is not: it has no table (D24).
  void not_read(std::size_t file) {
    std::lock_guard lock(mutex_);
    --stats_.other_inputs;
    --files_read_;
    (void)file;
  }
  /// A message about a file as a whole: a warning (`error` false) or a data error.
  void file_message(std::size_t file, std::string message, bool error) {
    std::lock_guard lock(mutex_);
    File &f = files_[file];
    if (error) {
      ++f.summary.errors;
    } else {
      f.summary.skipped = message;
    }
    if (!f.report) {
      return;
    }
    if (error) {
      any_error_ = true;
      ++stats_.rows_skipped;
      record_strict(f, 0, message);
      show(f, Diagnostic{Severity::error, f.label, 0, 0, std::move(message)});
    } else {
      f.notes.push_back(fmt::format("{}: {}", f.label, message));
    }
  }
  /// The result of chunk number `chunk` of `file`.
  void add(std::size_t file, std::size_t chunk, ChunkResult result) {
    std::lock_guard lock(mutex_);
    File &f = files_[file];
    any_error_ = any_error_ || (f.report && (result.errors > 0 || !result.file_errors.empty() ||
                                             !result.relative_errors.empty()));
    f.waiting.emplace(chunk, std::move(result));
    for (auto next = f.waiting.begin(); next != f.waiting.end() && next->first == f.folded;
         next = f.waiting.begin()) {
      fold(f, next->second);
      f.waiting.erase(next);
      ++f.folded;
    }
  }
  bool any_error() {
    std::lock_guard lock(mutex_);
    return any_error_;
  }
  /// Once every chunk is added. Under strict, throws Error for the first data error in file
  /// and line order.
  LoadStats totals() {
    std::vector<File *> order;
    order.reserve(files_.size());
    for (File &f : files_) {
      order.push_back(&f);
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const File *a, const File *b) { return a->source < b->source; });
    if (strict_) {
      for (const File *f : order) {
        if (f->strict_error) {
          throw Error(*f->strict_error);
        }
      }
    }
    for (File *file : order) {
      File &f = *file;
      stats_.file_reports.push_back(f.summary);
      for (std::string &note : f.notes) {
        stats_.notes.push_back(std::move(note));
      }
      if (f.report && f.unrouted > 0) {
        stats_.notes.push_back(fmt::format(
            "{}: {} record{} naming none of the four tables (by Type, TableName or category) "
            "skipped",
            f.label, f.unrouted, f.unrouted == 1 ? "" : "s"));
      }
      if (!f.diagnostics.shown.empty()) {
        f.diagnostics.file = f.label;
        stats_.diagnostics.push_back(std::move(f.diagnostics));
      }
    }
    stats_.files = files_read_;
    return std::move(stats_);
  }

private:
  struct File {
    std::size_t source = 0; ///< the source it was met in
    std::string label;
    std::vector<std::string> notes;
    bool report = true;
    std::size_t folded = 0; ///< chunks folded so far: the next one to fold
    std::map<std::size_t, ChunkResult> waiting;
    std::uint64_t first_line = 1;
    std::uint64_t unrouted = 0;
    FileDiagnostics diagnostics;
    std::optional<std::string> strict_error;
    FileReport summary;
  };

  void show(File &f, Diagnostic diagnostic) {
    if (f.diagnostics.shown.size() < DIAGNOSTICS_PER_FILE) {
      f.diagnostics.shown.push_back(std::move(diagnostic));
    } else {
      ++f.diagnostics.not_shown;
    }
  }
  void record_strict(File &f, std::uint64_t line, const std::string &message) {
    if (strict_ && !f.strict_error) {
      f.strict_error = format_diagnostic(Diagnostic{Severity::error, f.label, line, 0, message});
    }
  }

  void fold(File &f, ChunkResult &result) {
    const std::uint64_t base = f.first_line;
    const auto line_of = [&](std::uint64_t line_in_chunk) {
      return result.line_numbers.empty() ? base + line_in_chunk
                                         : result.line_numbers[line_in_chunk];
    };
    f.first_line = base + result.lines;
    stats_.rows_read += result.rows;
    stats_.lines_passed_over += result.passed_over;
    const std::size_t framing_errors = result.file_errors.size() + result.relative_errors.size();
    f.summary.records_read += result.rows + framing_errors;
    f.summary.errors += result.errors + framing_errors;
    f.summary.warnings += result.warnings;
    stats_.inputs += result.routed;
    if (!f.report) {
      return;
    }
    // Framing errors and line errors interleave in line order.
    std::vector<Diagnostic> found;
    for (auto &[line, message] : result.file_errors) {
      found.push_back(Diagnostic{Severity::error, f.label, line, 0, std::move(message)});
    }
    for (auto &[offset, message] : result.relative_errors) {
      found.push_back(Diagnostic{Severity::error, f.label, base + offset, 0, std::move(message)});
    }

    for (auto &pending : result.kept) {
      pending.diagnostic.file = f.label;
      pending.diagnostic.line = line_of(pending.line_in_chunk);
      found.push_back(std::move(pending.diagnostic));
    }
    if (framing_errors > 0) {
      std::stable_sort(found.begin(), found.end(), [](const Diagnostic &a, const Diagnostic &b) {
        return (a.line == 0 ? UINT64_MAX : a.line) < (b.line == 0 ? UINT64_MAX : b.line);
      });
    }
    if (strict_ && !f.strict_error) {
      std::optional<Diagnostic> first;
      if (result.first_error) {
        first = result.first_error->diagnostic;
        first->file = f.label;
        first->line = line_of(result.first_error->line_in_chunk);
      }
      for (const auto &d : found) {
        if (d.severity == Severity::error &&
            (!first || (d.line != 0 && (first->line == 0 || d.line < first->line)))) {
          first = d;
        }
      }
      if (first) {
        f.strict_error = format_diagnostic(*first);
      }
    }
    for (Diagnostic &d : found) {
      show(f, std::move(d));
    }
    f.diagnostics.not_shown += result.not_kept;
    f.unrouted += result.unrouted;
    stats_.rows_read += framing_errors;
    stats_.rows_skipped += result.errors + framing_errors;
    stats_.warnings += result.warnings;
  }

  std::mutex mutex_;
  bool strict_;
  bool any_error_ = false;
  std::deque<File> files_;
  std::size_t files_read_ = 0;
  LoadStats stats_;
};

/// A unit of work for any worker.
struct Task {
  enum class Kind { positional, batch } kind = Kind::batch;
  std::size_t file = 0;  ///< in the ResultBook
  std::size_t chunk = 0; ///< within the file
  RecordPlace place;
  std::shared_ptr<PlainFile> plain; ///< positional
  std::uint64_t chunk_size = 0;     ///< positional
  RecordBatch batch;                ///< batch
};

/// Whether a first record says the sieve cannot be used on its file (positional rows: the
/// key test needs `"key":`), and whether an unplaced file is read at all (D24).
struct FirstRecord {
  bool readable_unplaced = false;
  bool sieve = true;
  /// The record is one of usbexfil's own findings (a findings file written into the export
  /// folder, named after a table): never read as a table (inputs.md, "Our own findings").
  bool findings = false;
  std::string what; ///< for inspect: "rows", "envelopes", ...
};

FirstRecord classify_first_record(const RecordBatch &batch, Framing framing,
                                  const std::vector<std::string> &csv_columns) {
  FirstRecord first;
  if (framing == Framing::csv) {
    first.readable_unplaced =
        std::any_of(csv_columns.begin(), csv_columns.end(),
                    [](const std::string &c) { return c == "Type" || c == "TableName"; });
    first.what = first.readable_unplaced ? "rows with Type or TableName" : "rows";
    return first;
  }
  std::string_view text = batch.text.view();
  while (!text.empty()) {
    const std::size_t newline = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(std::min(newline + 1, text.size()));
    if (is_blank_line(line)) {
      continue;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element value;
    if (parser.parse(line).get(value)) {
      first.what = "text that is not JSON";
      return first;
    }
    if (value.is_array()) {
      first.readable_unplaced = true;
      first.what = framing == Framing::json_lines ? "an array" : "a document array";
      return first;
    }
    if (!value.is_object()) {
      first.what = "not a JSON object";
      return first;
    }
    first.what = "rows";
    bool category = false;
    bool properties = false;
    bool schema = false;
    bool results = false;
    bool alert_time = false;
    bool matched_files = false;
    const simdjson::dom::object object = value.get_object().value_unsafe();
    for (const auto field : object) {
      const std::string_view key = field.key;
      if (key == "tables" && field.value.is_array()) {
        first.readable_unplaced = true;
        first.sieve = false;
        first.what = "Log Analytics query API response";
      } else if (key == "records" && field.value.is_array()) {
        first.readable_unplaced = true;
        first.what = "Event Hub messages";
      } else if (key == "category" && field.value.is_string()) {
        category = true;
      } else if (key == "properties" && field.value.is_object()) {
        properties = true;
      } else if ((key == "Schema" || key == "schema") && field.value.is_array()) {
        schema = true;
      } else if ((key == "Results" || key == "results") && field.value.is_array()) {
        results = true;
      } else if (key == "Alert_TimeGenerated") {
        alert_time = true;
      } else if (key == "USB_Drive_MatchedFiles") {
        matched_files = true;
      }
    }
    if (alert_time && matched_files) {
      first.findings = true;
      first.what = "usbexfil findings";
      return first;
    }
    if (first.what == "rows" && category && properties) {
      first.what = "streaming envelopes";
    } else if (first.what == "rows" && schema && results) {
      first.what = "advanced hunting API response";
    }
    first.readable_unplaced |= (category && properties) || (schema && results);
    return first;
  }
  return first;
}

/// The no-table warning of D24.
constexpr const char *NO_TABLE =
    "no table: name it after its table (or put it in a folder named after one), or use "
    "--alerts, --cloud-app-events, --device-file-events or --device-events";

/// A file of usbexfil's own findings met among the inputs.
constexpr const char *FINDINGS =
    "usbexfil findings, not a table (its rows have Alert_TimeGenerated and USB_Drive_MatchedFiles)";

/// The table a member's own name or folders give (D37), before the archive's folders.
std::optional<SourceTable> member_table(const std::string &member_path,
                                        std::optional<SourceTable> archive_folder) {
  const std::size_t slash = member_path.rfind('/');
  const std::string name = slash == std::string::npos ? member_path : member_path.substr(slash + 1);
  if (const auto table = table_for_file_name(name)) {
    return table;
  }
  for (std::size_t end = slash; end != std::string::npos && end > 0;) {
    const std::size_t begin = member_path.rfind('/', end - 1);
    const std::size_t from = begin == std::string::npos ? 0 : begin + 1;
    if (const auto table = table_for_folder_name(member_path.substr(from, end - from))) {
      return table;
    }
    end = begin;
  }
  return archive_folder;
}

/// Runs the scan: the work queue, producers and folding.
class Scan {
public:
  Scan(SourceTable table, const std::vector<ScanSource> &sources, const ScanOptions &options,
       std::size_t workers)
      : table_(table), sources_(sources), options_(options), book_(options.strict) {
    std::uint64_t bytes = 0;
    for (const ScanSource &source : sources) {
      bytes += source.file->size;
    }
    bytes_ = bytes;
    progress::start_table(static_cast<int>(table), bytes);
    // Small inputs get smaller chunks (down to 64 KiB): many per thread, and no need to touch
    // megabytes of fresh buffer memory for a few megabytes of data. The full chunk size is
    // reached at 32 chunks per thread (128 MiB for two threads at the default 2 MiB). Sizes are
    // powers of two, so that a pooled buffer grows at most a few times over the four tables'
    // scans.
    chunk_size_ = std::clamp<std::uint64_t>(
        std::bit_floor(bytes / (32 * std::max<std::size_t>(1, workers))),
        std::min<std::uint64_t>(std::uint64_t{64} * 1024, options.chunk_size),
        std::max<std::uint64_t>(options.chunk_size, 64));
    queue_limit_ = 2 * workers;
  }

  void work(LineWorker &worker) {
    Pooled<Buffer> buffer; // the pages the previous table's scan touched
    buffer->size = 0;
    SievedLines sieved;
    try {
      for (;;) {
        if (options_.strict && book_.any_error()) {
          stop();
        }
        if (auto task = pop(false)) {
          run(*task, worker, *buffer, sieved);
          continue;
        }
        if (const std::size_t s = take_source(); s < sources_.size()) {
          // Busy while planning: a worker that finds nothing to do waits for the tasks this
          // source may push, rather than ending the scan's parallelism.
          struct Busy {
            Scan &scan;
            ~Busy() { scan.done_busy(); }
          } busy{*this};
          plan(s, worker, *buffer, sieved);
          continue;
        }
        if (auto task = pop(true)) {
          run(*task, worker, *buffer, sieved);
          continue;
        }
        break;
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      failure_ = failure_ ? failure_ : std::current_exception();
      stopped_ = true;
      next_source_ = sources_.size();
      ready_.clear();
      wake_.notify_all();
    }
  }

  LoadStats finish() {
    if (failure_) {
      std::rethrow_exception(failure_);
    }
    LoadStats stats = book_.totals();
    stats.bytes = bytes_;
    stats.scanned = true;
    return stats;
  }

private:
  /// The next source to plan (sources_.size() when none is left); the caller is then busy.
  std::size_t take_source() {
    std::lock_guard lock(mutex_);
    if (next_source_ >= sources_.size()) {
      return sources_.size();
    }
    ++busy_;
    return next_source_++;
  }
  void done_busy() {
    std::lock_guard lock(mutex_);
    --busy_;
    wake_.notify_all();
  }

  /// A task from the queue. `wait`: when the queue is empty, wait while others are busy
  /// planning or producing (they may push more).
  std::optional<Task> pop(bool wait) {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (!ready_.empty()) {
        Task task = std::move(ready_.front());
        ready_.pop_front();
        if (task.kind == Task::Kind::batch) {
          --batches_;
        }
        return task;
      }
      if (!wait || busy_ == 0 || stopped_) {
        return std::nullopt;
      }
      wake_.wait(lock);
    }
  }

  void push(Task task) {
    std::lock_guard lock(mutex_);
    if (stopped_) {
      return;
    }
    if (task.kind == Task::Kind::batch) {
      ++batches_;
    }
    ready_.push_back(std::move(task));
    wake_.notify_one();
  }

  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    next_source_ = sources_.size();
    ready_.clear();
    wake_.notify_all();
  }

  bool stopped() {
    std::lock_guard lock(mutex_);
    return stopped_;
  }

  void run(Task &task, LineWorker &worker, Buffer &buffer, SievedLines &sieved) {
    if (task.kind == Task::Kind::positional) {
      const auto [first, last] = read_chunk(*task.plain, task.chunk_size, task.chunk, buffer);
      buffer.clear_padding_at(last);
      book_.add(task.file, task.chunk,
                ChunkWork::run(buffer.data() + first, buffer.data() + last, task.chunk == 0,
                               task.place, task.file, worker, sieved, options_.max_record_size));
      return;
    }
    RecordBatch &batch = task.batch;
    batch.text.reserve(batch.text.size); // a batch of nothing has no memory yet
    batch.text.clear_padding_at(batch.text.size);
    ChunkResult result =
        ChunkWork::run(batch.text.data(), batch.text.data() + batch.text.size, false, task.place,
                       task.file, worker, sieved, options_.max_record_size);
    result.line_numbers = std::move(batch.line_numbers);
    result.file_errors = std::move(batch.errors);
    result.relative_errors = std::move(batch.relative_errors);
    result.lines += batch.skipped_lines;
    give_back(std::move(batch.text));
    book_.add(task.file, task.chunk, std::move(result));
  }

  /// Opens a source and turns it into tasks: positional chunks, or batches it produces itself.
  void plan(std::size_t source_index, LineWorker &worker, Buffer &buffer, SievedLines &sieved) {
    const ScanSource &source = sources_[source_index];
    const InputFile &file = *source.file;
    auto plain = std::make_shared<PlainFile>(file.path, file.label);
    OpenedContent content = open_content(open_fd_stream(plain->fd, file.label));
    const bool whole_table = source.placed;
    if (content.kind == ContentKind::zip || content.kind == ContentKind::tar) {
      // D37: an archive placed by its option or name puts every member in the table; one
      // placed by a folder only, or not at all, places each member by its own path first.
      const bool by_archive =
          whole_table && (file.placed_by == PlacedBy::option || file.placed_by == PlacedBy::name);
      read_archive(source_index, std::move(content), by_archive, worker, buffer, sieved);
      return;
    }
    if (!whole_table && file.placed_by == PlacedBy::folder) {
      return; // not an archive: its folder placed it in another table
    }
    const std::size_t id = book_.add_file(source_index, file.label, source.report, whole_table);
    read_text(id, std::move(content), plain, whole_table, worker, buffer, sieved,
              file.force_json_lines);
  }

  void read_archive(std::size_t source_index, OpenedContent content, bool by_archive,
                    LineWorker &worker, Buffer &buffer, SievedLines &sieved) {
    const ScanSource &source = sources_[source_index];
    const InputFile &file = *source.file;
    ArchiveReader archive(std::move(content.stream), content.kind == ContentKind::zip);
    ArchiveReader::Member member;
    while (!stopped() && archive.next(member)) {
      bool placed = by_archive;
      if (!by_archive) {
        const auto table = member_table(member.path, file.folder_table);
        if (table && *table != table_) {
          book_.member_elsewhere();
          continue;
        }
        placed = table.has_value();
      }
      // A member read by every table's scan reports in the first of them, as a file does.
      const bool report = placed || source.report;
      const std::size_t id =
          book_.add_file(source_index, file.label + "/" + member.path, report, placed);
      if (!member.error.empty()) {
        book_.file_message(id, member.error, true);
        continue;
      }
      OpenedContent inner = open_content(archive.open_member());
      book_.describe(id, [&](FileReport &described) {
        described.compression = compression_name(inner.compression);
        described.shape = inner.kind == ContentKind::text ? "" : "archive";
      });
      if (inner.kind == ContentKind::zip || inner.kind == ContentKind::tar) {
        book_.file_message(id, "nested archive is not read", true);
        continue;
      }
      read_text(id, std::move(inner), nullptr, placed, worker, buffer, sieved);
    }
    if (!archive.fault().empty() && !archive.member_failed()) {
      // D35: one data error naming the archive; the members read before the fault are kept.
      const std::size_t id = book_.add_file(source_index, file.label, source.report, false);
      book_.describe(id, [&](FileReport &report) { report.shape = "damaged archive"; });
      book_.not_read(id);
      book_.file_message(id, fmt::format("damaged archive: {}", archive.fault()), true);
    }
  }

  /// Reads a file's or member's text (`plain`: a plain file that may be read positionally).
  void read_text(std::size_t id, OpenedContent content, const std::shared_ptr<PlainFile> &plain,
                 bool placed, LineWorker &worker, Buffer &buffer, SievedLines &sieved,
                 bool force_json_lines = false) {
    if (content.kind == ContentKind::unsupported) {
      const bool avro = content.unsupported.starts_with("an Avro");
      book_.file_message(id, fmt::format("{} is not read", content.unsupported), placed || !avro);
      return;
    }
    book_.describe(id, [&](FileReport &report) {
      report.compression = compression_name(content.compression);
      report.utf16 = content.utf16;
    });
    const bool may_be_positional = plain && content.compression == Compression::none &&
                                   !content.utf16 && plain->size > 4 * chunk_size_;
    RecordFramer::Reopen reopen;
    if (plain) { // a file can be read again, whatever its layers
      reopen = [path = plain->path, label = plain->label] {
        return open_content(open_file_stream(path, label)).stream;
      };
    }
    RecordFramer framer(std::move(content.stream), options_.max_record_size, force_json_lines,
                        reopen);
    Task first;
    first.file = id;
    first.place = RecordPlace{table_, placed};
    const bool more =
        framer.next(first.batch, may_be_positional ? std::size_t{64} * 1024 : chunk_size_);
    const FirstRecord kind =
        classify_first_record(first.batch, framer.framing(), framer.csv_columns());
    book_.describe(id, [&](FileReport &report) {
      report.shape = framing_name(framer.framing());
      report.records = kind.what;
    });
    if (kind.findings) {
      book_.not_read(id);
      book_.file_message(id, FINDINGS, false);
      return;
    }
    if (!placed && !kind.readable_unplaced) {
      book_.not_read(id);
      book_.file_message(id, NO_TABLE, false);
      return;
    }
    first.place.keyed = kind.sieve;
    first.place.arrays_are_documents = framer.framing() != Framing::json_lines;
    if (may_be_positional && framer.framing() == Framing::json_lines) {
      const std::uint64_t chunks = (plain->size + chunk_size_ - 1) / chunk_size_;
      for (std::size_t c = 1; c < chunks; ++c) {
        Task task;
        task.kind = Task::Kind::positional;
        task.file = id;
        task.chunk = c;
        task.place = first.place;
        task.plain = plain;
        task.chunk_size = chunk_size_;
        push(std::move(task));
      }
      first.kind = Task::Kind::positional;
      first.chunk = 0;
      first.plain = plain;
      first.chunk_size = chunk_size_;
      first.batch = RecordBatch{};
      run(first, worker, buffer, sieved);
      return;
    }
    produce(framer, std::move(first), more, worker, buffer, sieved);
  }

  /// Frames a sequential source into batches for any worker; runs batches itself when the
  /// others fall behind.
  void produce(RecordFramer &framer, Task first, bool more, LineWorker &worker, Buffer &buffer,
               SievedLines &sieved) {
    std::size_t chunk = 0;
    Task task = std::move(first);
    for (;;) {
      task.chunk = chunk++;
      Task next_task;
      next_task.file = task.file;
      next_task.place = task.place;
      next_task.batch.text = take_spare();
      push(std::move(task));
      if (!more || stopped()) {
        break;
      }
      while (queued_batches() > queue_limit_) {
        if (auto own = pop(false)) {
          run(*own, worker, buffer, sieved);
        }
      }
      task = std::move(next_task);
      more = framer.next(task.batch, chunk_size_);
      if (!more && task.batch.text.size == 0 && task.batch.errors.empty() &&
          task.batch.relative_errors.empty()) {
        break;
      }
    }
  }

  /// Batch buffers go round: a producer takes one that a worker has finished with.
  PaddedBuffer take_spare() {
    std::lock_guard lock(mutex_);
    if (spare_.empty()) {
      return {};
    }
    PaddedBuffer buffer = std::move(spare_.back());
    spare_.pop_back();
    return buffer;
  }
  void give_back(PaddedBuffer buffer) {
    std::lock_guard lock(mutex_);
    buffer.size = 0;
    spare_.push_back(std::move(buffer));
  }

  std::size_t queued_batches() {
    std::lock_guard lock(mutex_);
    return batches_;
  }

  SourceTable table_;
  const std::vector<ScanSource> &sources_;
  const ScanOptions &options_;
  ResultBook book_;
  std::uint64_t bytes_ = 0;
  std::uint64_t chunk_size_ = 0;
  std::size_t queue_limit_ = 2;
  std::size_t next_source_ = 0; ///< under mutex_
  std::size_t busy_ = 0;        ///< workers planning or producing a source
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> ready_;
  std::vector<PaddedBuffer> spare_;
  std::size_t batches_ = 0;
  bool stopped_ = false;
  std::exception_ptr failure_;
};

} // namespace

unsigned scan_threads(const std::vector<ScanSource> &sources, const ScanOptions &options) {
  const unsigned most = std::max(1u, options.threads);
  if (options.min_bytes_per_thread == 0) {
    return most;
  }
  std::uint64_t bytes = 0;
  for (const ScanSource &source : sources) {
    bytes += source.file->size;
  }
  return static_cast<unsigned>(
      std::clamp<std::uint64_t>(bytes / options.min_bytes_per_thread, 1, most));
}

LoadStats scan_sources(SourceTable table, const std::vector<ScanSource> &sources,
                       const ScanOptions &options, const std::vector<LineWorker *> &workers) {
  Scan scan(table, sources, options, workers.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < workers.size(); ++i) {
    try {
      threads.emplace_back([&scan, worker = workers[i]] { scan.work(*worker); });
    } catch (const std::system_error &) {
      // The system would not start another thread (a process or memory limit). The workers
      // share one queue, so the scan runs on the threads it has, this one at least; the
      // findings are the same, only slower, and the summary says so.
      break;
    }
  }
  scan.work(*workers.front());
  for (auto &thread : threads) {
    thread.join();
  }
  LoadStats stats = scan.finish();
  stats.threads = static_cast<unsigned>(threads.size() + 1);
  stats.threads_wanted = static_cast<unsigned>(workers.size());
  return stats;
}

LoadStats scan_lines(const std::vector<std::string> &files, const ScanOptions &options,
                     const std::vector<LineWorker *> &workers) {
  const PlacedFiles placed(files);
  return scan_sources(SourceTable::security_alert, placed.sources, options, workers);
}

} // namespace usbexfil

namespace usbexfil {

PlacedFiles::PlacedFiles(const std::vector<std::string> &paths) {
  for (const std::string &path : paths) {
    InputFile file;
    file.path = path;
    file.label = path;
    file.placed_by = PlacedBy::option;
    file.force_json_lines = true;
    std::error_code error;
    file.size = std::filesystem::file_size(path, error);
    file.size = error ? 0 : file.size;
    files.push_back(std::move(file));
  }
  for (const InputFile &file : files) {
    sources.push_back(ScanSource{&file, true, true});
  }
}

} // namespace usbexfil
