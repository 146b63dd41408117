// Fuzz target: the record framer (src/load/record_stream.cpp) on arbitrary text: JSON lines, a
// JSON sequence or document array (the streaming structural scan, D10-D12) and CSV (D16-D19).
// The first byte picks the options, the rest is the decoded text. Checks:
//   - never a crash, and every record line is one line (no raw line end inside);
//   - differential: the same text framed in small batches read a few bytes at a time gives the
//     same framing, records, line numbers and errors as in one large batch read at once;
//   - on valid UTF-8 text, every record of a sequence or of a CSV is a JSON text (the loaders'
//     DOM parse takes it), a CSV record an array of one object with a member per header column.
#include "fuzz_support.hpp"
#include "load/record_stream.hpp"

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using namespace usbexfil;

namespace {

struct Framed {
  Framing framing = Framing::empty;
  std::vector<std::string> records;
  std::vector<std::uint64_t> lines;
  std::vector<std::pair<std::uint64_t, std::string>> errors;
  std::vector<std::string> columns;
  bool operator==(const Framed &) const = default;
};

/// Frames `text` as the scanner does and collects everything it says (as
/// tests/load/record_stream_test.cpp's `frame`).
Framed frame(const std::string &text, std::size_t batch_size, std::size_t step,
             std::size_t max_record, bool json_lines) {
  RecordFramer framer(
      std::make_unique<PeekStream>(std::make_unique<fuzz::StringStream>(text, step)), max_record,
      json_lines);
  Framed framed;
  framed.framing = framer.framing();
  framed.columns = framer.csv_columns();
  RecordBatch batch;
  std::uint64_t next_line = 1; // of passed-through text
  bool more = true;
  while (more) {
    more = framer.next(batch, batch_size);
    const std::string_view lines = batch.text.view();
    FUZZ_CHECK(lines.empty() || lines.back() == '\n', "a batch holds whole lines");
    for (const auto &[offset, message] : batch.relative_errors) {
      framed.errors.emplace_back(next_line + offset, message);
    }
    std::uint64_t index = 0;
    for (std::size_t start = 0; start < lines.size(); ++index) {
      const std::size_t end = lines.find('\n', start);
      const std::string_view record = lines.substr(start, end - start);
      // A blank line is no record (the scanner skips it): the framer may leave one where it
      // cut out a line longer than the limit, to keep the numbers of the lines after it.
      if (record.find_first_not_of(" \t\r") != std::string_view::npos) {
        framed.records.emplace_back(record);
        framed.lines.push_back(batch.line_numbers.empty() ? next_line + index
                                                          : batch.line_numbers.at(index));
      }
      start = end + 1;
    }
    FUZZ_CHECK(batch.line_numbers.empty() || batch.line_numbers.size() == index,
               "one line number per record line");
    if (batch.line_numbers.empty()) {
      next_line += index + batch.skipped_lines;
    }
    framed.errors.insert(framed.errors.end(), batch.errors.begin(), batch.errors.end());
  }
  return framed;
}

std::string describe(const Framed &framed) {
  std::string out = "framing " + std::string(framing_name(framed.framing)) + "\n";
  for (std::size_t i = 0; i < framed.records.size(); ++i) {
    out += std::to_string(framed.lines[i]) + ": " + framed.records[i] + "\n";
  }
  for (const auto &[line, message] : framed.errors) {
    out += "error " + std::to_string(line) + ": " + message + "\n";
  }
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::uint8_t flags = data[0];
  const std::string text(reinterpret_cast<const char *>(data) + 1, size - 1);
  const bool json_lines = (flags & 1) != 0;
  // A batch is never larger than a record may be (the scanner's chunks are far smaller than the
  // limit): a passed-through JSON line longer than the limit is caught only where it is carried
  // from one batch into the next, so a batch larger than the limit would hide it.
  const std::size_t max_record = (flags & 2) != 0 ? 256 : std::size_t{1} << 20;
  const std::size_t small_batch = std::size_t{1} << ((flags >> 2) & 7);   // 1 .. 128 bytes
  const std::size_t small_step = std::size_t{1} + ((flags >> 5) & 7) * 3; // 1 .. 22 bytes

  const Framed whole =
      frame(text, std::size_t{1} << 20, std::size_t{1} << 20, max_record, json_lines);
  const Framed pieces = frame(text, small_batch, small_step, max_record, json_lines);
  FUZZ_CHECK(whole == pieces, "framing depends on batch or read size",
             "whole:\n" + describe(whole) + "pieces:\n" + describe(pieces));

  for (const std::string &record : whole.records) {
    FUZZ_CHECK(record.find('\n') == std::string::npos, "a record line holds a line end");
  }
  if ((whole.framing == Framing::sequence || whole.framing == Framing::csv) &&
      simdjson::validate_utf8(text.data(), text.size())) {
    simdjson::dom::parser parser;
    for (const std::string &record : whole.records) {
      simdjson::dom::element value;
      FUZZ_CHECK(!parser.parse(record).get(value), "a framed record is not JSON", record);
      if (whole.framing == Framing::csv) {
        simdjson::dom::array array;
        simdjson::dom::object object;
        FUZZ_CHECK(!value.get_array().get(array) && array.size() == 1 &&
                       !array.at(0).get_object().get(object) &&
                       object.size() == whole.columns.size(),
                   "a CSV record is not [{one member per column}]", record);
      }
    }
  }
  return 0;
}
