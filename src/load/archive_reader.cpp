#include "load/archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <vector>

namespace usbexfil {

std::string normalize_member_path(std::string_view path, bool zip) {
  std::string out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find_first_of(zip ? "/\\" : "/", start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    const std::string_view step = path.substr(start, end - start);
    start = end + 1;
    if (step.empty() || step == "." || step == "..") {
      continue; // nothing is extracted: a name that climbs out (zip slip) is a path inside
    }
    if (step.front() == '.' || step == "__MACOSX") {
      return {};
    }
    if (!out.empty()) {
      out += '/';
    }
    out += step;
  }
  return out;
}

struct ArchiveReader::State {
  std::unique_ptr<ByteStream> bytes;
  std::vector<char> buffer = std::vector<char>(std::size_t{256} << 10);
  archive *handle = nullptr;
  bool member_failed = false;
  /// What the file under the archive threw (it cannot be read, or it shrank): not damage in the
  /// archive but a file that cannot be read, rethrown once libarchive gives up, so that it ends
  /// the run as for any file (exit 2) instead of passing for a damaged member.
  std::exception_ptr read_error;

  /// libarchive's read callback. It always hands over a full buffer (less only at the end), so
  /// that what libarchive sees never depends on how the stream under it delivers its bytes (a
  /// pipe's short reads, a decoder's output sizes): libarchive's readers notice some damage, or
  /// not, depending on where their reads end, and a file must give the same members and faults
  /// from a disk as through `cat |`.
  static la_ssize_t read(archive *handle, void *data, const void **out) {
    auto *state = static_cast<State *>(data);
    *out = state->buffer.data();
    std::size_t filled = 0;
    try {
      while (filled < state->buffer.size()) {
        const std::size_t got =
            state->bytes->read(state->buffer.data() + filled, state->buffer.size() - filled);
        if (got == 0) {
          break;
        }
        filled += got;
      }
    } catch (const std::exception &error) {
      state->read_error = std::current_exception();
      archive_set_error(handle, EIO, "%s", error.what());
      return -1;
    }
    return static_cast<la_ssize_t>(filled);
  }
};

namespace {

/// A member's bytes. libarchive is asked for whole blocks of BLOCK bytes whatever the caller's
/// read size, for the reason State::read gives: a damaged member then ends at the same byte
/// however it is read.
class MemberStream final : public ByteStream {
public:
  MemberStream(archive *handle, bool *failed, const std::exception_ptr *read_error)
      : handle_(handle), failed_(failed), read_error_(read_error) {}
  std::size_t read(char *out, std::size_t size) override {
    if (at_ == end_ && !done_) {
      refill();
    }
    const std::size_t count = std::min(size, end_ - at_);
    std::copy_n(block_.get() + at_, count, out);
    at_ += count;
    return count;
  }

private:
  static constexpr std::size_t BLOCK = std::size_t{256} << 10;

  void refill() {
    std::size_t filled = 0;
    while (filled < BLOCK) {
      const la_ssize_t got = archive_read_data(handle_, block_.get() + filled, BLOCK - filled);
      if (got < 0) {
        if (*read_error_) {
          std::rethrow_exception(*read_error_);
        }
        done_ = true;
        *failed_ = true;
        const char *message = archive_error_string(handle_);
        fault_ = message != nullptr ? message : "the member cannot be read";
        break;
      }
      if (got == 0) {
        done_ = true;
        break;
      }
      filled += static_cast<std::size_t>(got);
    }
    end_ = filled;
    at_ = 0;
  }

  archive *handle_;
  bool *failed_;
  const std::exception_ptr *read_error_;
  std::unique_ptr<char[]> block_ = std::make_unique_for_overwrite<char[]>(BLOCK);
  std::size_t at_ = 0;
  std::size_t end_ = 0;
  bool done_ = false;
};

} // namespace

ArchiveReader::ArchiveReader(std::unique_ptr<ByteStream> bytes, bool zip)
    : state_(std::make_unique<State>()), zip_(zip) {
  state_->bytes = std::move(bytes);
  state_->handle = archive_read_new();
  if (zip) {
    archive_read_support_format_zip_streamable(state_->handle);
  } else {
    archive_read_support_format_tar(state_->handle);
  }
  if (archive_read_open(state_->handle, state_.get(), nullptr, &State::read, nullptr) !=
      ARCHIVE_OK) {
    if (state_->read_error) {
      archive_read_free(state_->handle);
      std::rethrow_exception(state_->read_error);
    }
    const char *message = archive_error_string(state_->handle);
    fault_ = message != nullptr ? message : "cannot read the archive";
  }
}

ArchiveReader::~ArchiveReader() { archive_read_free(state_->handle); }

bool ArchiveReader::next(Member &member) {
  if (!fault_.empty()) {
    return false;
  }
  for (;;) {
    archive_entry *entry = nullptr;
    const int status = archive_read_next_header(state_->handle, &entry);
    if (status == ARCHIVE_EOF) {
      // The archive ended; the layer under it may not have (a corrupt or truncated gzip after
      // the end-of-archive blocks, or one that ended early exactly at a block boundary). Read it
      // to its end, so that its fault is reported whatever the read sizes were. A file that
      // cannot be read (or shrank) throws, as anywhere.
      while (state_->bytes->read(state_->buffer.data(), state_->buffer.size()) > 0) {
      }
      fault_ = state_->bytes->fault();
      return false;
    }
    if (status < ARCHIVE_WARN) {
      if (state_->read_error) {
        std::rethrow_exception(state_->read_error);
      }
      const char *message = archive_error_string(state_->handle);
      fault_ = state_->bytes->fault().empty() ? (message != nullptr ? message : "damaged archive")
                                              : state_->bytes->fault();
      return false;
    }
    if (archive_entry_filetype(entry) != AE_IFREG || archive_entry_hardlink(entry) != nullptr ||
        archive_entry_symlink(entry) != nullptr) {
      continue;
    }
    const char *name = archive_entry_pathname(entry);
    if (name == nullptr) {
      continue;
    }
    const std::string_view raw(name);
    if (raw.ends_with('/') || (zip_ && raw.ends_with('\\'))) {
      continue;
    }
    member.path = normalize_member_path(raw, zip_);
    if (member.path.empty()) {
      continue;
    }
    member.error.clear();
    if (archive_entry_is_encrypted(entry)) {
      member.error = "encrypted member is not read";
    }
    state_->member_failed = false;
    return true;
  }
}

bool ArchiveReader::member_failed() const { return state_->member_failed; }

std::unique_ptr<ByteStream> ArchiveReader::open_member() {
  return std::make_unique<MemberStream>(state_->handle, &state_->member_failed,
                                        &state_->read_error);
}

} // namespace usbexfil
