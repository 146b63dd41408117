// Fuzz target: the archive reader (src/load/archive_reader.cpp, libarchive's zip and tar readers
// as the bytes stream by) and member path normalization (D34). The first byte picks zip or tar
// and the read sizes; the rest is the archive (decompressed first when it starts with a
// compression's magic, as the scanner does). Checks: never a crash, a hang or unbounded memory
// (each member is read up to CAP bytes, at most MEMBERS members, then up to SKIPPED more walked
// past to reach the end); every member path returned is normalized (no empty, `.` or `..` step,
// no leading `/`, no `\`, nothing starting with `.` and no `__MACOSX`: a zip-slip name can
// never name a file outside the archive); differential: the
// members, their paths, errors and bytes do not depend on the read sizes (the bytes of a member
// cut by a fault only up to the shorter read: see `agree`).
#include "fuzz_support.hpp"
#include "load/archive_reader.hpp"
#include "load/record_stream.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

using namespace usbexfil;

namespace {

constexpr std::size_t CAP = std::size_t{1} << 18;
constexpr std::size_t MEMBERS = 64;
/// Members walked past (not read) after the first MEMBERS, to reach the archive's end or fault.
constexpr std::size_t SKIPPED = 4096;

struct Entry {
  std::string path;
  std::string error;
  std::string bytes; ///< up to CAP
  std::string fault;
};

struct Listing {
  std::vector<Entry> entries;
  std::string fault;
  bool finished = true; ///< the archive was walked to its end or fault (not cut by SKIPPED)
};

/// Two reads of one member agree: the same name and error; the same bytes, or, where the member
/// is cut by a fault, a fault on both sides and the bytes of one a prefix of the other's (how
/// much of a damaged member libarchive delivers before it notices depends on its reads:
/// inputs.md, "Known limits").
bool agree(const Entry &a, const Entry &b) {
  if (a.path != b.path || a.error != b.error) {
    return false;
  }
  if (a.fault.empty() && b.fault.empty()) {
    return a.bytes == b.bytes;
  }
  const std::size_t shorter = std::min(a.bytes.size(), b.bytes.size());
  return !a.fault.empty() && !b.fault.empty() &&
         a.bytes.compare(0, shorter, b.bytes, 0, shorter) == 0;
}

void check_normalized(const std::string &path, bool zip) {
  FUZZ_CHECK(!path.empty(), "an empty member path is returned");
  FUZZ_CHECK(path.front() != '/' && path.back() != '/', "a member path starts or ends with /",
             path);
  FUZZ_CHECK(!zip || path.find('\\') == std::string::npos, "a zip member path holds \\", path);
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string step = path.substr(start, end - start);
    FUZZ_CHECK(!step.empty() && step.front() != '.' && step != "__MACOSX",
               "a member path step is empty, starts with . or is __MACOSX", path);
    start = end + 1;
  }
}

Listing list(const std::string &bytes, bool zip, std::size_t inner_step, std::size_t read_step) {
  OpenedContent content = open_content(std::make_unique<fuzz::StringStream>(bytes, inner_step));
  ArchiveReader reader(std::move(content.stream), zip);
  Listing listing;
  ArchiveReader::Member member;
  while (listing.entries.size() < MEMBERS && reader.next(member)) {
    check_normalized(member.path, zip);
    FUZZ_CHECK(member.path == normalize_member_path(member.path, zip),
               "normalization is not idempotent", member.path);
    Entry entry{member.path, member.error, {}, {}};
    if (member.error.empty()) {
      auto stream = reader.open_member();
      entry.bytes = fuzz::read_capped(*stream, CAP, read_step);
      entry.fault = stream->fault();
    }
    listing.entries.push_back(std::move(entry));
  }
  if (listing.entries.size() == MEMBERS) {
    // The rest is walked without reading: whether the archive ends in a fault is the archive's,
    // and must not depend on where a listing stopped looking.
    std::size_t skipped = 0;
    while (skipped < SKIPPED && reader.next(member)) {
      ++skipped;
    }
    listing.finished = skipped < SKIPPED;
  }
  listing.fault = reader.fault();
  return listing;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::uint8_t flags = data[0];
  const std::string bytes(reinterpret_cast<const char *>(data) + 1, size - 1);
  const bool zip = (flags & 1) != 0;
  const std::size_t inner_step = std::size_t{1} + ((flags >> 1) & 7) * 9;  // 1 .. 64
  const std::size_t read_step = std::size_t{1} + ((flags >> 4) & 15) * 13; // 1 .. 196

  // The path normalization on its own, on the whole input as a name.
  const std::string normalized = normalize_member_path(bytes, zip);
  if (!normalized.empty()) {
    check_normalized(normalized, zip);
  }

  const Listing whole = list(bytes, zip, std::size_t{1} << 20, std::size_t{1} << 16);
  const Listing pieces = list(bytes, zip, inner_step, read_step);
  const auto describe = [](const Listing &listing) {
    std::string out;
    for (const Entry &entry : listing.entries) {
      out += "member " + entry.path + " error " + entry.error + " fault " + entry.fault + "\n" +
             entry.bytes + "\n";
    }
    return out + "fault " + listing.fault + "\n";
  };
  // Where the archive's bytes end at a fault (a damaged compression layer under it), how much of
  // them came out before the decoder noticed depends on the read sizes, so one listing may stop
  // earlier: then the members both have agree, and the fault is on both sides (checked below).
  const bool cut = !whole.fault.empty() || !pieces.fault.empty();
  const std::size_t common = std::min(whole.entries.size(), pieces.entries.size());
  bool same = cut || whole.entries.size() == pieces.entries.size();
  for (std::size_t i = 0; same && i < common; ++i) {
    Entry a = whole.entries[i];
    Entry b = pieces.entries[i];
    if (cut && i + 1 == common) { // the last member both have may be the one the fault cut
      a.fault = a.fault.empty() ? whole.fault : a.fault;
      b.fault = b.fault.empty() ? pieces.fault : b.fault;
    }
    same = agree(a, b);
  }
  FUZZ_CHECK(same, "members depend on read sizes",
             "whole:\n" + describe(whole) + "pieces:\n" + describe(pieces));
  // libarchive's messages quote byte counts that depend on its reads: compare the verdict.
  FUZZ_CHECK(!whole.finished || !pieces.finished || whole.fault.empty() == pieces.fault.empty(),
             "the archive's fault depends on read sizes", whole.fault + " | " + pieces.fault);
  return 0;
}
