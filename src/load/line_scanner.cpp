#include "load/line_scanner.hpp"

#include "usbexfil/error.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <sys/stat.h>
#include <map>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace usbexfil {

void LineContext::error(std::string message, std::uint64_t column) {
  ++errors_;
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
/// zero-filled on allocation (fresh pages are slow to touch); only the padding is cleared.
struct Buffer {
  std::unique_ptr<char[]> bytes;
  std::size_t size = 0;
  std::size_t capacity = 0; ///< content bytes, padding not included

  char *data() { return bytes.get(); }
  /// Makes room for `content` bytes, keeping the current content.
  void reserve(std::size_t content) {
    if (content <= capacity) {
      return;
    }
    auto grown = std::unique_ptr<char[]>(new char[content + simdjson::SIMDJSON_PADDING]);
    if (size > 0) {
      std::memcpy(grown.get(), bytes.get(), size);
    }
    bytes = std::move(grown);
    capacity = content;
  }
  void clear_padding() { std::memset(bytes.get() + size, 0, simdjson::SIMDJSON_PADDING); }
};

/// Buffers kept between scans: a scan of the next table reuses the pages the last one touched
/// instead of faulting in fresh memory (slow on some machines: a few hundred MB/s).
class BufferPool {
public:
  static BufferPool &shared() {
    static BufferPool pool;
    return pool;
  }
  std::unique_ptr<Buffer> take() {
    std::lock_guard lock(mutex_);
    if (free_.empty()) {
      return std::make_unique<Buffer>();
    }
    auto buffer = std::move(free_.back());
    free_.pop_back();
    return buffer;
  }
  void give(std::unique_ptr<Buffer> buffer) {
    buffer->size = 0;
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(buffer));
  }

private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<Buffer>> free_;
};

/// One chunk handed to a worker.
struct Chunk {
  std::size_t file = 0;
  std::size_t index = 0; ///< chunk number within the file
  Buffer *buffer = nullptr;
  bool first_in_file = false;
};

/// What a chunk left behind once processed.
struct ChunkResult {
  std::uint64_t lines = 0; ///< physical lines, blank ones included
  std::uint64_t rows = 0;  ///< non-blank lines
  std::uint64_t errors = 0;
  std::uint64_t warnings = 0;
  std::uint64_t not_kept = 0;
  std::vector<LineContext::Pending> kept;
};

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

} // namespace

/// Splits a chunk into lines and feeds a worker; befriends LineContext to fill it in.
class ChunkWork {
public:
  static ChunkResult run(const Chunk &chunk, LineWorker &worker) {
    ChunkResult result;
    LineContext context;
    const char *begin = chunk.buffer->data();
    const char *end = begin + chunk.buffer->size;
    if (chunk.first_in_file && end - begin >= 3 && std::memcmp(begin, BOM, 3) == 0) {
      begin += 3;
    }
    while (begin < end) {
      const char *newline = static_cast<const char *>(std::memchr(begin, '\n', end - begin));
      const char *line_end = newline ? newline : end;
      std::string_view line(begin, static_cast<std::size_t>(line_end - begin));
      if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
      }
      if (!line.empty() && !is_blank(line)) {
        ++result.rows;
        context.line_in_chunk_ = result.lines;
        worker.on_line(line, context);
      }
      ++result.lines;
      begin = line_end + 1;
    }
    result.errors = context.errors_;
    result.warnings = context.warnings_;
    result.not_kept = context.not_kept_;
    result.kept = std::move(context.kept_);
    return result;
  }
};

namespace {

/// Reads one file sequentially into chunks that end on a line end.
class ChunkReader {
public:
  ChunkReader(const std::string &path, std::size_t chunk_size)
      : path_(path), chunk_size_(chunk_size) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      throw Error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    }
    struct stat info {};
    if (::fstat(fd_, &info) == 0 && S_ISREG(info.st_mode)) {
      left_hint_ = static_cast<std::size_t>(info.st_size);
    }
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  ~ChunkReader() { ::close(fd_); }
  ChunkReader(const ChunkReader &) = delete;
  ChunkReader &operator=(const ChunkReader &) = delete;

  /// Fills `buffer` with the next chunk; false at the end of the file.
  bool next(Buffer &buffer) {
    if (eof_ && carry_.empty()) {
      return false;
    }
    // A small file gets a small buffer: no need to touch chunk_size bytes for it.
    buffer.size = 0;
    buffer.reserve(std::max<std::size_t>(
        carry_.size() + 1, std::min(chunk_size_, carry_.size() + left_hint_ + 1)));
    std::memcpy(buffer.data(), carry_.data(), carry_.size());
    buffer.size = carry_.size();
    carry_.clear();
    while (true) {
      fill(buffer);
      if (eof_) {
        buffer.clear_padding();
        return buffer.size > 0;
      }
      const char *data = buffer.data();
      const void *last = ::memrchr(data, '\n', buffer.size);
      if (last != nullptr) {
        const std::size_t cut = static_cast<std::size_t>(static_cast<const char *>(last) - data) + 1;
        carry_.assign(data + cut, buffer.size - cut);
        buffer.size = cut;
        buffer.clear_padding();
        return true;
      }
      buffer.reserve(buffer.capacity * 2); // a line longer than the chunk: grow this buffer
    }
  }

  std::uint64_t bytes_read() const { return bytes_read_; }

private:
  void fill(Buffer &buffer) {
    while (buffer.size < buffer.capacity) {
      const ssize_t got = ::read(fd_, buffer.data() + buffer.size, buffer.capacity - buffer.size);
      if (got < 0) {
        if (errno == EINTR) {
          continue;
        }
        throw Error(fmt::format("{}: cannot read: {}", path_, std::strerror(errno)));
      }
      if (got == 0) {
        eof_ = true;
        return;
      }
      buffer.size += static_cast<std::size_t>(got);
      bytes_read_ += static_cast<std::uint64_t>(got);
      left_hint_ -= std::min(left_hint_, static_cast<std::size_t>(got));
    }
  }

  std::string path_;
  std::size_t chunk_size_;
  int fd_ = -1;
  bool eof_ = false;
  std::string carry_;
  std::uint64_t bytes_read_ = 0;
  std::size_t left_hint_ = 0; ///< bytes the file still holds, as far as fstat knew
};

/// Chunks in flight between the reading thread and the workers.
class ChunkQueue {
public:
  explicit ChunkQueue(std::size_t buffers) {
    for (std::size_t i = 0; i < buffers; ++i) {
      buffers_.push_back(BufferPool::shared().take());
      free_.push_back(buffers_.back().get());
    }
  }
  ~ChunkQueue() {
    for (auto &buffer : buffers_) {
      BufferPool::shared().give(std::move(buffer));
    }
  }
  ChunkQueue(const ChunkQueue &) = delete;
  ChunkQueue &operator=(const ChunkQueue &) = delete;

  Buffer *acquire() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !free_.empty(); });
    Buffer *buffer = free_.back();
    free_.pop_back();
    return buffer;
  }
  void release(Buffer *buffer) {
    {
      std::lock_guard lock(mutex_);
      free_.push_back(buffer);
    }
    changed_.notify_all();
  }
  void push(const Chunk &chunk) {
    {
      std::lock_guard lock(mutex_);
      ready_.push_back(chunk);
    }
    changed_.notify_all();
  }
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    changed_.notify_all();
  }
  /// The next chunk, or false once closed and drained.
  bool pop(Chunk &chunk) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !ready_.empty() || closed_; });
    if (ready_.empty()) {
      return false;
    }
    chunk = ready_.front();
    ready_.pop_front();
    return true;
  }

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::unique_ptr<Buffer>> buffers_;
  std::vector<Buffer *> free_;
  std::deque<Chunk> ready_;
  bool closed_ = false;
};

/// Results of all chunks, keyed by (file, chunk index), turned into the scan's totals.
class ResultBook {
public:
  void add(const Chunk &chunk, ChunkResult result) {
    std::lock_guard lock(mutex_);
    if (result.errors > 0) {
      any_error_ = true;
    }
    results_.emplace(std::make_pair(chunk.file, chunk.index), std::move(result));
  }
  bool any_error() {
    std::lock_guard lock(mutex_);
    return any_error_;
  }
  LoadStats totals(const std::vector<std::string> &files, bool strict) const;

private:
  std::mutex mutex_;
  bool any_error_ = false;
  std::map<std::pair<std::size_t, std::size_t>, ChunkResult> results_;
};

LoadStats ResultBook::totals(const std::vector<std::string> &files, bool strict) const {
  LoadStats stats;
  stats.files = files.size();
  std::vector<std::uint64_t> first_line(files.size(), 1);
  std::vector<FileDiagnostics> per_file(files.size());
  for (const auto &[key, result] : results_) {
    const auto &[file, index] = key;
    FileDiagnostics &diagnostics = per_file[file];
    diagnostics.file = files[file];
    for (const auto &pending : result.kept) {
      Diagnostic diagnostic = pending.diagnostic;
      diagnostic.file = files[file];
      diagnostic.line = first_line[file] + pending.line_in_chunk;
      if (strict && diagnostic.severity == Severity::error) {
        throw Error(format_diagnostic(diagnostic));
      }
      if (diagnostics.shown.size() < DIAGNOSTICS_PER_FILE) {
        diagnostics.shown.push_back(std::move(diagnostic));
      } else {
        ++diagnostics.not_shown;
      }
    }
    diagnostics.not_shown += result.not_kept;
    first_line[file] += result.lines;
    stats.rows_read += result.rows;
    stats.rows_skipped += result.errors;
    stats.warnings += result.warnings;
  }
  for (auto &diagnostics : per_file) {
    if (!diagnostics.shown.empty()) {
      stats.diagnostics.push_back(std::move(diagnostics));
    }
  }
  return stats;
}

} // namespace

LoadStats scan_lines(const std::vector<std::string> &files, const ScanOptions &options,
                     const std::vector<LineWorker *> &workers) {
  ResultBook book;
  std::uint64_t bytes = 0;
  const std::size_t chunk_size = std::max<std::size_t>(options.chunk_size, 64);
  if (workers.size() <= 1) {
    // One thread: read and parse in turn, with a single reused buffer.
    ChunkQueue pool(1);
    Buffer &buffer = *pool.acquire();
    for (std::size_t file = 0; file < files.size() && !(options.strict && book.any_error());
         ++file) {
      ChunkReader reader(files[file], chunk_size);
      for (std::size_t index = 0; reader.next(buffer); ++index) {
        const Chunk chunk{file, index, &buffer, index == 0};
        book.add(chunk, ChunkWork::run(chunk, *workers.front()));
        if (options.strict && book.any_error()) {
          break;
        }
      }
      bytes += reader.bytes_read();
    }
  } else {
    ChunkQueue queue(workers.size() + 2);
    std::vector<std::thread> threads;
    for (LineWorker *worker : workers) {
      threads.emplace_back([&queue, &book, worker] {
        Chunk chunk;
        while (queue.pop(chunk)) {
          book.add(chunk, ChunkWork::run(chunk, *worker));
          queue.release(chunk.buffer);
        }
      });
    }
    try {
      for (std::size_t file = 0; file < files.size() && !(options.strict && book.any_error());
           ++file) {
        ChunkReader reader(files[file], chunk_size);
        for (std::size_t index = 0;; ++index) {
          if (options.strict && book.any_error()) {
            break; // chunks already handed out finish; the first error is among them
          }
          Buffer *buffer = queue.acquire();
          if (!reader.next(*buffer)) {
            queue.release(buffer);
            break;
          }
          queue.push({file, index, buffer, index == 0});
        }
        bytes += reader.bytes_read();
      }
    } catch (...) {
      queue.close();
      for (auto &thread : threads) {
        thread.join();
      }
      throw;
    }
    queue.close();
    for (auto &thread : threads) {
      thread.join();
    }
  }
  LoadStats stats = book.totals(files, options.strict);
  stats.bytes = bytes;
  stats.scanned = true;
  return stats;
}

} // namespace usbexfil
