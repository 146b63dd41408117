#include "load/archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

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

  static la_ssize_t read(archive *, void *data, const void **out) {
    auto *state = static_cast<State *>(data);
    *out = state->buffer.data();
    try {
      return static_cast<la_ssize_t>(
          state->bytes->read(state->buffer.data(), state->buffer.size()));
    } catch (...) {
      return -1;
    }
  }
};

namespace {

class MemberStream final : public ByteStream {
public:
  MemberStream(archive *handle, bool *failed) : handle_(handle), failed_(failed) {}
  std::size_t read(char *out, std::size_t size) override {
    if (done_) {
      return 0;
    }
    const la_ssize_t got = archive_read_data(handle_, out, size);
    if (got < 0) {
      done_ = true;
      *failed_ = true;
      const char *message = archive_error_string(handle_);
      fault_ = message != nullptr ? message : "the member cannot be read";
      return 0;
    }
    done_ = got == 0;
    return static_cast<std::size_t>(got);
  }

private:
  archive *handle_;
  bool *failed_;
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
      // to its end, so that its fault is reported whatever the read sizes were.
      try {
        while (state_->bytes->read(state_->buffer.data(), state_->buffer.size()) > 0) {
        }
      } catch (const std::exception &error) {
        fault_ = error.what();
        return false;
      }
      fault_ = state_->bytes->fault();
      return false;
    }
    if (status < ARCHIVE_WARN) {
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
  return std::make_unique<MemberStream>(state_->handle, &state_->member_failed);
}

} // namespace usbexfil
