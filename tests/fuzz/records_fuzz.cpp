// Fuzz target: a whole table scan of arbitrary bytes (src/load/line_scanner.cpp): byte streams,
// framing, positional chunks or batches, and the record expander (src/load/records.cpp: rows,
// query API `tables`, advanced hunting `Schema`/`Results`, Event Hub `records`, envelopes,
// document arrays, CSV rows), with a worker that takes every row in full. The first byte picks
// the table, whether the file is placed in it (else its rows name their table, D22) and a small
// chunk size; the rest is the file. Checks:
//   - never a crash or an exception other than usbexfil::Error;
//   - differential: a scan in chunks of 64 to 1024 bytes (a plain JSON-lines file longer than
//     four chunks is then read positionally, by pread, in pieces) reads the same rows, in the
//     same order, with the same counts and the same diagnostics (file, line, message) as a scan
//     in one 2 MiB chunk (read sequentially, framed in one batch);
//   - every row handed to a loader is a JSON object.
#include "fuzz_support.hpp"
#include "load/line_scanner.hpp"
#include "load/records.hpp"
#include "usbexfil/error.hpp"

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace usbexfil;

namespace {

class RowCollector final : public LineWorker {
public:
  void on_line(std::string_view line, LineContext &context) override {
    records_.rows(line, context,
                  [&](simdjson::dom::object row) { rows.push_back(simdjson::minify(row)); });
  }
  std::vector<std::string> rows;

private:
  RecordExpander records_;
};

struct Scan {
  std::vector<std::string> rows;
  std::vector<std::string> diagnostics;
  std::uint64_t rows_read = 0;
  std::uint64_t rows_skipped = 0;
  std::uint64_t warnings = 0;
  std::uint64_t inputs = 0;
  bool failed = false;
  bool operator==(const Scan &) const = default;
};

Scan scan(const InputFile &file, SourceTable table, bool placed, std::size_t chunk_size) {
  ScanOptions options;
  options.min_bytes_per_thread = 0;
  options.chunk_size = chunk_size;
  options.max_record_size = std::size_t{1} << 16;
  RowCollector worker;
  Scan result;
  try {
    const LoadStats stats =
        scan_sources(table, {ScanSource{&file, placed, true}}, options, {&worker});
    result.rows_read = stats.rows_read;
    result.rows_skipped = stats.rows_skipped;
    result.warnings = stats.warnings;
    result.inputs = stats.inputs;
    for (const FileDiagnostics &diagnostics : stats.diagnostics) {
      for (const Diagnostic &diagnostic : diagnostics.shown) {
        result.diagnostics.push_back(format_diagnostic(diagnostic));
      }
      result.diagnostics.push_back("not shown: " + std::to_string(diagnostics.not_shown));
    }
    for (const std::string &note : stats.notes) {
      result.diagnostics.push_back("note: " + note);
    }
  } catch (const Error &error) {
    result.failed = true;
    result.diagnostics.push_back(std::string("error: ") + error.what());
  }
  result.rows = std::move(worker.rows);
  return result;
}

std::string describe(const Scan &scan) {
  std::string out = "rows_read " + std::to_string(scan.rows_read) + " skipped " +
                    std::to_string(scan.rows_skipped) + " warnings " +
                    std::to_string(scan.warnings) + " inputs " + std::to_string(scan.inputs) + "\n";
  for (const std::string &row : scan.rows) {
    out += "row " + row + "\n";
  }
  for (const std::string &line : scan.diagnostics) {
    out += line + "\n";
  }
  return out;
}

const fuzz::ScratchFile &scratch() {
  static const fuzz::ScratchFile file("records.json");
  return file;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::uint8_t flags = data[0];
  const std::string_view content(reinterpret_cast<const char *>(data) + 1, size - 1);
  const auto table = static_cast<SourceTable>(flags % SOURCE_TABLE_COUNT);
  const bool placed = (flags & 4) != 0;
  const std::size_t small_chunk = std::size_t{64} << ((flags >> 3) & 3); // 64 .. 512 bytes

  InputFile file;
  file.path = scratch().write(content);
  file.label = "fuzz.json";
  file.size = content.size();
  if (placed) {
    file.table = table;
    file.placed_by = PlacedBy::option;
  }
  const Scan whole = scan(file, table, placed, std::size_t{2} << 20);
  const Scan pieces = scan(file, table, placed, small_chunk);
  FUZZ_CHECK(whole == pieces, "a scan depends on the chunk size",
             "one chunk:\n" + describe(whole) + "chunks of " + std::to_string(small_chunk) + ":\n" +
                 describe(pieces));
  return 0;
}
