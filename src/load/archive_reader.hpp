// Zip and tar archives read as folders (inputs.md D33-D35), with libarchive: its zip reader
// walks local headers as the bytes stream by (so an archive under a compression layer, or on
// standard input, needs no seeking), and its tar reader knows ustar, pax and GNU headers.
// Members that D34 passes over (folders, links, special files, `.` names, `__MACOSX`) are never
// returned; a member that cannot be read (encrypted, another compression method) is returned
// with `error` set, and the archive's next members are still read.
#pragma once

#include "load/byte_stream.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace usbexfil {

/// A member path split at `/` (and `\` for zip) with empty, `.` and `..` steps dropped (nothing
/// is extracted, so `../../x` is read as `x`), joined with `/`; empty when D34 passes the member
/// over (another step starting with `.`, a `__MACOSX` folder).
std::string normalize_member_path(std::string_view path, bool zip);

class ArchiveReader {
public:
  struct Member {
    std::string path;  ///< normalized (normalize_member_path)
    std::string error; ///< non-empty: the member cannot be read, and why
  };

  /// `zip`: a zip archive, else a tar.
  ArchiveReader(std::unique_ptr<ByteStream> bytes, bool zip);
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader &) = delete;
  ArchiveReader &operator=(const ArchiveReader &) = delete;

  /// The next member D34 reads; false at the end or at a fault (then `fault()` says what).
  bool next(Member &member);
  /// The current member's bytes; valid until `next`. A fault inside them is the stream's fault.
  std::unique_ptr<ByteStream> open_member();
  /// Why reading the archive stopped early; empty if it did not.
  const std::string &fault() const { return fault_; }
  /// The last member's bytes ended at a fault (which its stream reported).
  bool member_failed() const;

  struct State;

private:
  std::unique_ptr<State> state_;
  std::string fault_;
  bool zip_;
};

} // namespace usbexfil
