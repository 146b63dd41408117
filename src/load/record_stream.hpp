// From decoded bytes to records (inputs.md D7-D19, D33 detection, D36): the layers of a file or
// member are opened (compression, archive or not, UTF-16), then its text is framed into
// *record lines*: one JSON text per line, which the scanner hands to the loaders like any JSON
// line.
//
//   - JSON lines are passed through as they are (only the partial last line of a read is
//     carried into the next chunk);
//   - a JSON sequence (pretty-printed documents, `jq .`, `jq -s .`) is cut into its top-level
//     values by a streaming structural scan; a top-level object is one record, and each element
//     of a top-level array is one record written `[element]` (a document array of one: its rows
//     name their table, D22). Line ends inside a value are written as spaces (JSON never holds
//     a raw line end inside a string), so a 1 GB array is never held whole, only one element;
//   - a CSV record becomes `[{"Column":"cell",...}]`, empty cells null, portal datetimes of
//     ` [UTC]` columns written in ISO 8601 (D16-D19).
// Record lines keep the line number where their record starts in the decoded text.
#pragma once

#include "load/byte_stream.hpp"
#include "load/padded_buffer.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace usbexfil {

/// What a file's (or member's) first bytes say it is, once decompressed.
enum class ContentKind { text, zip, tar, unsupported };

/// The layers of a file's bytes, opened up to its text (or to the archive it holds).
struct OpenedContent {
  Compression compression = Compression::none;
  ContentKind kind = ContentKind::text;
  std::string unsupported; ///< for ContentKind::unsupported: "a 7z archive", ...
  bool utf16 = false;      ///< transcoded from UTF-16 (D36)
  bool utf16_little_endian = false;
  std::unique_ptr<PeekStream> stream; ///< the decoded bytes (the archive's, for zip and tar)
};

/// Sniffs and stacks the layers over `raw` (D5, D7, D33, D36).
OpenedContent open_content(std::unique_ptr<ByteStream> raw);

/// How a text is framed into records (D9, D10).
enum class Framing { json_lines, sequence, csv, empty };

std::string_view framing_name(Framing framing);

/// Whether a CSV header line (D17) is one: every field a name, with an optional bracketed suffix.
bool is_csv_header(std::string_view line);

/// Parses a portal datetime `M/D/YYYY, h:mm:ss[.F] AM|PM` (D19) into ISO 8601 text
/// (`YYYY-MM-DDTHH:MM:SS[.F]Z`); nothing if `text` is not one.
std::optional<std::string> portal_datetime_to_iso(std::string_view text);

/// A batch of record lines for the scanner: whole lines, each ending with `\n`, in a buffer with
/// zeroed padding after them (the scanner parses them in place).
struct RecordBatch {
  PaddedBuffer text;
  /// The decoded text's line number (from 1) of each line of `text`; empty when `text` is the
  /// decoded text itself (JSON lines, passed through), whose line numbers follow from the
  /// batches before it.
  std::vector<std::uint64_t> line_numbers;
  /// Passed-through text: lines of the decoded text consumed but not in `text` (too long).
  std::uint64_t skipped_lines = 0;
  /// Errors found while framing: line (0: the file as a whole) and message.
  std::vector<std::pair<std::uint64_t, std::string>> errors;
  /// Passed-through text: errors at a line counted from the batch's first line (0-based).
  std::vector<std::pair<std::uint64_t, std::string>> relative_errors;
};

/// Frames one decoded text into record lines.
class RecordFramer {
public:
  /// `max_record`: bytes one record may have (a longer one is a data error and skipped).
  /// Opens the same text again from its start (a file can be; a stream may not).
  using Reopen = std::function<std::unique_ptr<PeekStream>()>;

  /// `json_lines`: frame as JSON lines whatever the first line is. `reopen` (may be empty):
  /// how to read the text again when its framing needs a look at all of it (D10); without it
  /// the text is kept in a temporary file for that.
  RecordFramer(std::unique_ptr<PeekStream> text, std::size_t max_record, bool json_lines = false,
               const Reopen &reopen = {});
  ~RecordFramer();

  /// The framing, decided from the first non-blank line (D9, D10).
  Framing framing() const { return framing_; }
  /// The CSV header's column names (after D17), empty for other framings.
  const std::vector<std::string> &csv_columns() const;

  /// Fills `batch` (replacing its content) with about `size` bytes of record lines; false
  /// when the text is done (a final fault is then in `batch.errors`).
  bool next(RecordBatch &batch, std::size_t size);

  class Impl;

private:
  void decide_sequence_or_lines(std::size_t max_record, const Reopen &reopen);
  std::unique_ptr<Impl> impl_;
  Framing framing_ = Framing::empty;
  std::shared_ptr<void> spool_; ///< the temporary file a text is read from (D10)
};

} // namespace usbexfil
