#include "load/line_scanner.hpp"

#include "load/huge_buffer.hpp"
#include "load/pooled.hpp"
#include "load/prefilter.hpp"
#include "usbexfil/error.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <sys/stat.h>
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

/// A reusable read buffer: `size` bytes of content followed by zeroed padding. Memory is not
/// zero-filled on allocation, and large buffers get huge pages (huge_buffer.hpp); only the
/// padding is cleared.
struct Buffer {
  ByteBuffer bytes;
  std::size_t size = 0;
  std::size_t capacity = 0; ///< content bytes, padding not included

  char *data() { return bytes.get(); }
  /// Makes room for `content` bytes, keeping the current content.
  void reserve(std::size_t content) {
    if (content <= capacity) {
      return;
    }
    const std::size_t target = std::max(content, capacity * 2); // long lines: amortized growth
    ByteBuffer grown = allocate_bytes(target + LINE_PADDING);
    if (size > 0) {
      std::memcpy(grown.get(), bytes.get(), size);
    }
    bytes = std::move(grown);
    capacity = target;
  }
  /// Zeroes the padding after `end`, where a parsed range stops.
  void clear_padding_at(std::size_t end) { std::memset(bytes.get() + end, 0, LINE_PADDING); }
};

/// What a chunk left behind once processed.
struct ChunkResult {
  std::uint64_t lines = 0; ///< physical lines starting in the chunk, blank ones included
  std::uint64_t rows = 0;  ///< non-blank lines
  std::uint64_t errors = 0;
  std::uint64_t warnings = 0;
  std::uint64_t not_kept = 0;
  std::vector<LineContext::Pending> kept;
  std::optional<LineContext::Pending> first_error; ///< kept even past the cap, for --strict
};

} // namespace

/// Splits a range of whole lines into lines and feeds a worker; befriends LineContext.
class ChunkWork {
public:
  /// `sieved`: the calling thread's reused space for the sieve's answer.
  static ChunkResult run(const char *begin, const char *end, bool first_in_file,
                         LineWorker &worker, SievedLines &sieved) {
    ChunkResult result;
    LineContext context;
    if (first_in_file && end - begin >= 3 && std::memcmp(begin, BOM, 3) == 0) {
      begin += 3;
    }
    if (const RawPrefilter *sieve = worker.sieve()) {
      sieve->sieve(begin, end, sieved);
    } else {
      split_lines(begin, end, sieved, [](std::string_view) { return true; });
    }
    for (const SievedLines::Line &kept : sieved.kept) {
      std::string_view line(begin + kept.begin, kept.end - kept.begin);
      if (line.back() == '\r') { // kept lines are not blank, so not empty
        line.remove_suffix(1);
      }
      context.line_in_chunk_ = kept.index;
      worker.on_line(line, context);
    }
    result.lines = sieved.lines;
    result.rows = sieved.lines - sieved.blank;
    result.errors = context.errors_;
    result.warnings = context.warnings_;
    result.not_kept = context.not_kept_;
    result.kept = std::move(context.kept_);
    result.first_error = std::move(context.first_error_);
    return result;
  }
};

namespace {

/// An open input file, read with pread(2) by any thread.
struct InputFile {
  std::string path;
  int fd = -1;
  std::uint64_t size = 0;

  explicit InputFile(std::string file_path) : path(std::move(file_path)) {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat info {};
    if (fd < 0 || ::fstat(fd, &info) != 0) {
      throw Error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    }
    if (S_ISDIR(info.st_mode)) {
      throw Error(fmt::format("{}: cannot read: is a directory", path));
    }
    size = static_cast<std::uint64_t>(info.st_size);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  ~InputFile() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  InputFile(const InputFile &) = delete;
  InputFile &operator=(const InputFile &) = delete;

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
        throw Error(fmt::format("{}: cannot read: {}", path,
                                got == 0 ? "file shrank while reading" : std::strerror(errno)));
      }
      buffer.size += static_cast<std::size_t>(got);
      offset += static_cast<std::uint64_t>(got);
    }
  }
};

/// Bytes read at a time past a chunk's end to finish its last line: most lines are shorter.
constexpr std::uint64_t READ_ON = std::uint64_t{16} * 1024;

/// Chunk `index` of a file: the lines that start in [index * size, (index + 1) * size).
struct ChunkRef {
  std::size_t file;
  std::size_t index;
};

/// Reads chunk `index` of `file` into `buffer` and returns the buffer range of its whole lines.
/// A line belongs to the chunk its first byte lies in, so a chunk reads one byte before its range
/// (a line starts at its first byte only if that byte follows a newline) and reads past its end
/// to finish its last line.
std::pair<std::size_t, std::size_t> read_chunk(const InputFile &file, std::uint64_t chunk_size,
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

/// The scan's totals, folded from the chunks' results in chunk order as they arrive. A result
/// that arrives before an earlier chunk's waits for it; chunks are taken in order, so at most
/// about one per thread waits, and memory does not grow with the input. Line numbers are
/// resolved as results are folded (a file's first line + the lines of its earlier chunks).
class ResultBook {
public:
  ResultBook(const std::vector<std::string> &files, bool strict)
      : files_(files), strict_(strict), first_line_(files.size(), 1), per_file_(files.size()) {
    stats_.files = files.size();
  }

  /// The result of chunk number `chunk` (in scan order), which belongs to `file`.
  void add(std::size_t chunk, std::size_t file, ChunkResult result) {
    std::lock_guard lock(mutex_);
    any_error_ = any_error_ || result.errors > 0;
    waiting_.emplace(chunk, std::make_pair(file, std::move(result)));
    for (auto next = waiting_.begin(); next != waiting_.end() && next->first == folded_;
         next = waiting_.begin()) {
      fold(next->second.first, next->second.second);
      waiting_.erase(next);
      ++folded_;
    }
  }
  bool any_error() {
    std::lock_guard lock(mutex_);
    return any_error_;
  }
  /// Once every chunk is added. Under strict, throws Error for the first malformed line in file
  /// and line order.
  LoadStats totals() {
    if (strict_error_) {
      throw Error(*strict_error_);
    }
    for (auto &diagnostics : per_file_) {
      if (!diagnostics.shown.empty()) {
        stats_.diagnostics.push_back(std::move(diagnostics));
      }
    }
    return std::move(stats_);
  }

private:
  void fold(std::size_t file, ChunkResult &result) {
    FileDiagnostics &diagnostics = per_file_[file];
    diagnostics.file = files_[file];
    const auto place = [&](Diagnostic &diagnostic, std::uint64_t line_in_chunk) {
      diagnostic.file = files_[file];
      diagnostic.line = first_line_[file] + line_in_chunk;
    };
    if (strict_ && !strict_error_ && result.first_error) {
      place(result.first_error->diagnostic, result.first_error->line_in_chunk);
      strict_error_ = format_diagnostic(result.first_error->diagnostic);
    }
    for (auto &pending : result.kept) {
      place(pending.diagnostic, pending.line_in_chunk);
      if (diagnostics.shown.size() < DIAGNOSTICS_PER_FILE) {
        diagnostics.shown.push_back(std::move(pending.diagnostic));
      } else {
        ++diagnostics.not_shown;
      }
    }
    diagnostics.not_shown += result.not_kept;
    first_line_[file] += result.lines;
    stats_.rows_read += result.rows;
    stats_.rows_skipped += result.errors;
    stats_.warnings += result.warnings;
  }

  std::mutex mutex_;
  bool any_error_ = false;
  const std::vector<std::string> &files_;
  bool strict_;
  std::size_t folded_ = 0; ///< chunks folded so far: the next one to fold
  std::map<std::size_t, std::pair<std::size_t, ChunkResult>> waiting_;
  std::vector<std::uint64_t> first_line_;
  std::vector<FileDiagnostics> per_file_;
  LoadStats stats_;
  std::optional<std::string> strict_error_;
};

} // namespace

unsigned scan_threads(const std::vector<std::string> &files, const ScanOptions &options) {
  const unsigned most = std::max(1u, options.threads);
  if (options.min_bytes_per_thread == 0) {
    return most;
  }
  std::uint64_t bytes = 0;
  for (const std::string &path : files) {
    std::error_code error;
    const std::uint64_t size = std::filesystem::file_size(path, error);
    bytes += error ? 0 : size;
  }
  return static_cast<unsigned>(
      std::clamp<std::uint64_t>(bytes / options.min_bytes_per_thread, 1, most));
}

LoadStats scan_lines(const std::vector<std::string> &files, const ScanOptions &options,
                     const std::vector<LineWorker *> &workers) {
  std::vector<std::unique_ptr<InputFile>> inputs;
  std::uint64_t bytes = 0;
  for (const std::string &path : files) {
    inputs.push_back(std::make_unique<InputFile>(path));
    bytes += inputs.back()->size;
  }
  // Small inputs get smaller chunks (down to 64 KiB): many per thread, and no need to touch
  // megabytes of fresh buffer memory for a few megabytes of data. The full chunk size is reached
  // at 32 chunks per thread (128 MiB for two threads at the default 2 MiB). Sizes are powers of
  // two, so that a pooled buffer grows at most a few times over the four tables' scans.
  const std::uint64_t chunk_size = std::clamp<std::uint64_t>(
      std::bit_floor(bytes / (32 * std::max<std::size_t>(1, workers.size()))),
      std::min<std::uint64_t>(std::uint64_t{64} * 1024, options.chunk_size),
      std::max<std::uint64_t>(options.chunk_size, 64));
  // Chunk numbers run over all files in order; chunk_ends[f] is one past file f's last.
  std::vector<std::size_t> chunk_ends;
  for (const auto &input : inputs) {
    const std::size_t previous = chunk_ends.empty() ? 0 : chunk_ends.back();
    chunk_ends.push_back(previous + static_cast<std::size_t>((input->size + chunk_size - 1) / chunk_size));
  }
  const std::size_t chunk_count = chunk_ends.empty() ? 0 : chunk_ends.back();
  const auto chunk_ref = [&](std::size_t chunk) {
    const auto file = static_cast<std::size_t>(
        std::upper_bound(chunk_ends.begin(), chunk_ends.end(), chunk) - chunk_ends.begin());
    return ChunkRef{file, chunk - (file == 0 ? 0 : chunk_ends[file - 1])};
  };
  // Workers take chunks in order; each reads (pread) and parses its own, so the copy out of the
  // page cache is spread over the threads too. Under --strict a worker stops taking chunks once
  // an error is known: every chunk before the failing one was already taken and completes.
  ResultBook book(files, options.strict);
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  const auto work = [&](LineWorker &worker) {
    Pooled<Buffer> buffer; // the pages the previous table's scan touched
    buffer->size = 0;
    SievedLines sieved;
    try {
      for (std::size_t c = next++; c < chunk_count; c = next++) {
        if (options.strict && book.any_error()) {
          break;
        }
        const ChunkRef chunk = chunk_ref(c);
        const auto [first, last] =
            read_chunk(*inputs[chunk.file], chunk_size, chunk.index, *buffer);
        buffer->clear_padding_at(last);
        book.add(c, chunk.file,
                 ChunkWork::run(buffer->data() + first, buffer->data() + last, chunk.index == 0,
                                worker, sieved));
      }
    } catch (...) {
      std::lock_guard lock(failure_mutex);
      failure = failure ? failure : std::current_exception();
      next = chunk_count; // stop the other workers
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < workers.size(); ++i) {
    threads.emplace_back([&work, worker = workers[i]] { work(*worker); });
  }
  work(*workers.front());
  for (auto &thread : threads) {
    thread.join();
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
  LoadStats stats = book.totals();
  stats.bytes = bytes;
  stats.scanned = true;
  return stats;
}

} // namespace usbexfil
