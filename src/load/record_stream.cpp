#include "load/record_stream.hpp"

#include "usbexfil/error.hpp"
#include "usbexfil/text.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace usbexfil {

std::string_view framing_name(Framing framing) {
  switch (framing) {
  case Framing::json_lines:
    return "JSON lines";
  case Framing::sequence:
    return "JSON sequence";
  case Framing::csv:
    return "CSV";
  case Framing::empty:
    return "empty";
  }
  return "empty";
}

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

/// A CSV header field: a name, optionally a space and a bracketed suffix.
bool is_header_name(std::string_view field) {
  if (field.empty() || !is_name_start(field.front())) {
    return false;
  }
  std::size_t i = 1;
  while (i < field.size() && is_name_char(field[i])) {
    ++i;
  }
  if (i == field.size()) {
    return true;
  }
  const std::string_view suffix = field.substr(i);
  return suffix.size() >= 3 && suffix[0] == ' ' && suffix[1] == '[' && suffix.back() == ']' &&
         suffix.substr(2, suffix.size() - 3).find_first_of("[]") == std::string_view::npos;
}

/// The fields of a one-line CSV record; nothing if it is not well formed on one line.
std::optional<std::vector<std::string>> split_csv_line(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t i = 0;
  for (;;) {
    std::string field;
    if (i < line.size() && line[i] == '"') {
      for (++i;; ++i) {
        if (i >= line.size()) {
          return std::nullopt; // the quote does not close on this line
        }
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        field += line[i];
      }
      if (i < line.size() && line[i] != ',') {
        return std::nullopt;
      }
    } else {
      const std::size_t end = std::min(line.find(',', i), line.size());
      field.assign(line.substr(i, end - i));
      if (field.find('"') != std::string::npos) {
        return std::nullopt;
      }
      i = end;
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) {
      return fields;
    }
    ++i; // the comma
  }
}

} // namespace

bool is_csv_header(std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  const auto fields = split_csv_line(line);
  return fields && std::all_of(fields->begin(), fields->end(),
                               [](const std::string &f) { return is_header_name(f); });
}

std::optional<std::string> portal_datetime_to_iso(std::string_view text) {
  std::size_t i = 0;
  const auto number = [&](std::size_t min_digits, std::size_t max_digits) -> std::optional<int> {
    std::size_t start = i;
    int value = 0;
    while (i < text.size() && i - start < max_digits && text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + (text[i++] - '0');
    }
    if (i - start < min_digits) {
      return std::nullopt;
    }
    return value;
  };
  const auto expect = [&](std::string_view what) {
    if (text.substr(i, what.size()) != what) {
      return false;
    }
    i += what.size();
    return true;
  };
  const auto month = number(1, 2);
  if (!month || !expect("/")) {
    return std::nullopt;
  }
  const auto day = number(1, 2);
  if (!day || !expect("/")) {
    return std::nullopt;
  }
  const auto year = number(4, 4);
  if (!year || !expect(", ")) {
    return std::nullopt;
  }
  const auto hour = number(1, 2);
  if (!hour || !expect(":")) {
    return std::nullopt;
  }
  const auto minute = number(2, 2);
  if (!minute || !expect(":")) {
    return std::nullopt;
  }
  const auto second = number(2, 2);
  if (!second) {
    return std::nullopt;
  }
  std::string fraction;
  if (i < text.size() && text[i] == '.') {
    ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      ++i;
    }
    if (i == start) {
      return std::nullopt;
    }
    fraction = text.substr(start, std::min<std::size_t>(i - start, 7));
  }
  int h = *hour;
  if (expect(" AM")) {
    h = h == 12 ? 0 : h;
  } else if (expect(" PM")) {
    h = h == 12 ? 12 : h + 12;
  } else {
    return std::nullopt;
  }
  if (i != text.size() || *month < 1 || *month > 12 || *hour < 1 || *hour > 12 || *day < 1) {
    return std::nullopt;
  }
  std::string iso =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", *year, *month, *day, h, *minute, *second);
  if (!fraction.empty()) {
    iso += '.';
    iso += fraction;
  }
  iso += 'Z';
  return iso; // day-of-month validity is left to the ISO reader, which makes it null
}

OpenedContent open_content(std::unique_ptr<ByteStream> raw) {
  OpenedContent content;
  auto outer = std::make_unique<PeekStream>(std::move(raw));
  content.compression = sniff_compression(outer->peek(10));
  if (content.compression == Compression::none) {
    content.stream = std::move(outer);
  } else {
    content.stream =
        std::make_unique<PeekStream>(open_decompressor(content.compression, std::move(outer)));
  }
  const std::string_view head = content.stream->peek(265);
  if (starts_with(head, "PK\x03\x04") || starts_with(head, "PK\x05\x06")) {
    content.kind = ContentKind::zip;
  } else if (head.size() >= 263 && head.substr(257, 5) == "ustar" &&
             (head[262] == '\0' ||
              (head.size() >= 265 && head.substr(262, 3) == std::string_view("  \0", 3)))) {
    content.kind = ContentKind::tar;
  } else if (starts_with(head, "7z\xbc\xaf\x27\x1c")) {
    content.kind = ContentKind::unsupported;
    content.unsupported = "a 7z archive";
  } else if (starts_with(head, "Rar!\x1a\x07")) {
    content.kind = ContentKind::unsupported;
    content.unsupported = "a rar archive";
  } else if (starts_with(head, "Obj\x01")) {
    content.kind = ContentKind::unsupported;
    content.unsupported = "an Avro file (Event Hubs Capture)";
  } else if (starts_with(head, "\xff\xfe") || starts_with(head, "\xfe\xff")) {
    content.utf16 = true;
    content.utf16_little_endian = head[0] == '\xff';
    char mark[2];
    content.stream->read(mark, 2);
    content.stream = std::make_unique<PeekStream>(
        open_utf16_decoder(std::move(content.stream), content.utf16_little_endian));
  }
  return content;
}

// ---------------------------------------------------------------------------------------------

// NOLINTNEXTLINE(clang-analyzer-optin.performance.Padding): one per open file; grouped by use
class RecordFramer::Impl {
public:
  Impl(std::unique_ptr<PeekStream> text, std::size_t max_record)
      : text_(std::move(text)), max_record_(max_record) {}

  /// Drops a UTF-8 byte-order mark (D8) and decides the framing from the first non-blank line
  /// (D9-D11). A first line that is not a JSON text on its own and not a CSV header leaves the
  /// choice between a JSON sequence and JSON lines to the whole text (`needs_validation`).
  Framing sniff() {
    if (text_->peek(3) == "\xEF\xBB\xBF") {
      char bom[3];
      text_->read(bom, 3);
    }
    for (std::size_t want = std::size_t{64} * 1024;; want *= 2) {
      const std::string_view head = text_->peek(want);
      const bool whole = head.size() < want; // the text ends within the head
      for (std::size_t start = 0; start < head.size();) {
        const std::size_t newline = head.find('\n', start);
        if (newline == std::string_view::npos && !whole) {
          break; // the line continues past the head
        }
        const std::size_t end = newline == std::string_view::npos ? head.size() : newline;
        std::string_view line = head.substr(start, end - start);
        start = end + 1;
        if (is_blank(line)) {
          continue;
        }
        if (line.back() == '\r') {
          line.remove_suffix(1);
        }
        return decide(line, end);
      }
      if (whole) {
        return Framing::empty;
      }
      if (want >= max_record_) {
        return Framing::json_lines; // one huge first line: JSON lines report it
      }
    }
  }

  Framing decide(std::string_view line, std::size_t line_end) {
    simdjson::dom::parser parser;
    simdjson::dom::element value;
    if (!parser.parse(line).get(value)) {
      // D11: an array line is a document array only when it is the text's only line.
      return value.is_array() && only_line_after(line_end) ? Framing::sequence
                                                           : Framing::json_lines;
    }
    if (is_csv_header(line)) {
      return Framing::csv;
    }
    needs_validation_ = true;
    return Framing::sequence;
  }

  /// Whether nothing but blank lines follows offset `end` (a line end) of the text.
  bool only_line_after(std::size_t end) {
    for (std::size_t want = end + 1 + std::size_t{64} * 1024;; want *= 2) {
      const std::string_view head = text_->peek(want);
      const std::string_view rest = head.substr(std::min(end + 1, head.size()));
      if (!std::all_of(rest.begin(), rest.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; })) {
        return false;
      }
      if (head.size() < want) {
        return true;
      }
    }
  }

  // --- reading bytes -------------------------------------------------------------------------

  /// The next byte, or -1 at the end.
  int get() {
    if (pos_ == len_ && !refill()) {
      return -1;
    }
    return static_cast<unsigned char>(in_[pos_++]);
  }
  int peek_byte() {
    if (pos_ == len_ && !refill()) {
      return -1;
    }
    return static_cast<unsigned char>(in_[pos_]);
  }
  bool refill() {
    if (eof_) {
      return false;
    }
    len_ = text_->read(in_.data(), in_.size());
    pos_ = 0;
    eof_ = len_ == 0;
    return !eof_;
  }
  void add_fault(RecordBatch &batch) {
    if (!text_->fault().empty()) {
      batch.errors.emplace_back(0, text_->fault());
    } else if (!spool_fault_.empty()) {
      batch.errors.emplace_back(0, spool_fault_);
    }
  }

  // --- JSON lines ----------------------------------------------------------------------------

  bool next_lines(RecordBatch &batch, std::size_t size) {
    PaddedBuffer &text = batch.text;
    text.size = 0;
    if (done_) {
      return false;
    }
    text.append(carry_);
    carry_.clear();
    bool more = true;
    for (;;) {
      while (text.size < size && more) {
        text.reserve(std::max(size, text.size + 4096));
        const std::size_t got = text_->read(text.data() + text.size, text.capacity - text.size);
        text.size += got;
        more = got > 0;
      }
      if (!more) {
        break;
      }
      const void *last = ::memrchr(text.data(), '\n', text.size);
      if (last != nullptr) {
        const auto end =
            static_cast<std::size_t>(static_cast<const char *>(last) - text.data()) + 1;
        carry_.assign(text.data() + end, text.size - end);
        text.size = end;
        break;
      }
      if (text.size > max_record_) {
        // One line longer than a record may be: reported, and skipped to its end.
        batch.relative_errors.emplace_back(
            0, fmt::format("line longer than {} bytes; skipped", max_record_));
        skip_long_line(batch);
        more = !eof_long_;
        break;
      }
      size = text.size * 2; // a long line: read on until it ends
    }
    if (!more) {
      done_ = true;
      if (text.size > 0 && text.data()[text.size - 1] != '\n') {
        text.push_back('\n');
      }
      add_fault(batch);
    }
    if (text.size > max_record_) {
      blank_long_lines(batch); // only when a limit below the batch size was asked for
    }
    return text.size > 0 || !batch.errors.empty() || !batch.relative_errors.empty();
  }

  /// A line longer than a record may be, inside one batch: its bytes are removed (its line end
  /// stays, so later lines keep their numbers) and it is reported, as a line that crosses batches
  /// is by next_lines. The result does not depend on where batches end.
  void blank_long_lines(RecordBatch &batch) {
    PaddedBuffer &text = batch.text;
    char *data = text.data();
    std::size_t read = 0;
    std::size_t write = 0;
    std::uint64_t index = 0;
    while (read < text.size) {
      const void *newline = std::memchr(data + read, '\n', text.size - read);
      const std::size_t end =
          newline ? static_cast<std::size_t>(static_cast<const char *>(newline) - data) : text.size;
      std::size_t length = end - read;
      if (length > 0 && data[end - 1] == '\r') {
        --length;
      }
      if (length > max_record_) {
        batch.relative_errors.emplace_back(
            index, fmt::format("line longer than {} bytes; skipped", max_record_));
      } else {
        std::memmove(data + write, data + read, end - read);
        write += end - read;
      }
      if (newline) {
        data[write++] = '\n';
      }
      read = end + 1;
      ++index;
    }
    text.size = write;
  }

  void skip_long_line(RecordBatch &batch) {
    batch.text.size = 0;
    batch.skipped_lines = 1;
    char buffer[65536];
    for (;;) {
      const std::size_t got = text_->read(buffer, sizeof buffer);
      if (got == 0) {
        eof_long_ = true;
        return;
      }
      const void *newline = std::memchr(buffer, '\n', got);
      if (newline != nullptr) {
        const auto after =
            static_cast<std::size_t>(static_cast<const char *>(newline) - buffer) + 1;
        carry_.assign(buffer + after, got - after);
        return;
      }
    }
  }

  // --- JSON sequence -------------------------------------------------------------------------

  bool next_sequence(RecordBatch &batch, std::size_t size) {
    batch.text.size = 0;
    batch.line_numbers.clear();
    if (done_) {
      return false;
    }
    while (batch.text.size < size) {
      if (in_string_ && !escape_ && !skip_line_ && (pos_ < len_ || refill()) &&
          skip_string_run() > 0) {
        continue; // most bytes are inside strings: take them in runs
      }
      if (!in_string_ && !skip_line_ && !(scalar_ && stack_.empty()) && pos_ < len_) {
        skip_blank_run(); // indentation: a run of blanks reads as its last one
      }
      const int c = get();
      if (c < 0) {
        end_sequence(batch);
        done_ = true;
        break;
      }
      sequence_byte(static_cast<char>(c), batch);
      if (batch_error_pending_) {
        batch_error_pending_ = false;
        invalid_ = true;
        batch.errors.emplace_back(line_, "not valid JSON: a bracket or separator out of place");
        skip_line_ = true;
      }
    }
    return batch.text.size > 0 || !batch.errors.empty();
  }

  /// Inside a string: the bytes up to the next quote, backslash or line end, in one run; how
  /// many were taken (0 when the next byte is one of those).
  std::size_t skip_string_run() {
    const char *begin = in_.data() + pos_;
    const char *end = in_.data() + len_;
    const char *at = begin;
#if defined(__SSE2__)
    // 16 bytes a step (SSE2 is part of every x86-64), then byte by byte for the tail.
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i newline = _mm_set1_epi8('\n');
    while (end - at >= 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(at));
      const auto stops = static_cast<unsigned>(_mm_movemask_epi8(
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                       _mm_cmpeq_epi8(bytes, newline))));
      if (stops != 0) {
        at += __builtin_ctz(stops);
        break;
      }
      at += 16;
    }
    if (end - at < 16)
#endif
      while (at < end && *at != '"' && *at != '\\' && *at != '\n') {
        ++at;
      }
    const auto count = static_cast<std::size_t>(at - begin);
    if (collecting_ && !oversize_) {
      if (record_.size() + count > max_record_) {
        oversize_ = true;
        record_.clear();
      } else {
        record_.append(begin, count);
      }
    }
    pos_ += count;
    return count;
  }

  /// Outside strings, where a blank cannot end a scalar: steps over the spaces, tabs and CRs
  /// before the next byte but the last of them, which sequence_byte then reads. One blank has
  /// the effect of many there (whitespace shrinks to one space in the record, or to none), so
  /// the records are the same; a line end is never skipped (it counts a line).
  void skip_blank_run() {
    std::size_t at = pos_;
    while (at < len_ && (in_[at] == ' ' || in_[at] == '\t' || in_[at] == '\r')) {
      ++at;
    }
    if (at > pos_ + 1) {
      pos_ = at - 1;
    }
  }

  void sequence_byte(char c, RecordBatch &batch) {
    if (skip_line_) {
      if (c == '\n') {
        ++line_;
        skip_line_ = false;
      }
      return;
    }
    if (in_string_) {
      if (c == '\n') {
        broken(batch, "not valid JSON: a string does not end on its line");
        ++line_;
        return;
      }
      collect(c);
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
      } else if (c == '"') {
        in_string_ = false;
        last_ = '"';
        if (scalar_ && stack_.empty()) {
          emit(batch);
        }
      }
      return;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (scalar_ && stack_.empty()) {
        emit(batch);
      }
      // Whitespace inside a value shrinks to one space, and to none after `{`, `[`, `,` and
      // `:` (pretty-printing's indentation); a line end never reaches the record line.
      if (collecting_ && !oversize_ && !record_.empty()) {
        const char back = record_.back();
        if (back != '{' && back != '[' && back != ',' && back != ':' && back != ' ') {
          collect(' ');
        }
      }
      after_value_ = false;
      if (c == '\n') {
        ++line_;
      }
      return;
    }
    if (!collecting_) {
      between_values(c, batch);
      return;
    }
    if (scalar_ && stack_.empty()) {
      if (c == ',' || c == ']' || c == '}' || c == '{' || c == '[' || c == '"' || c == ':') {
        emit(batch);
        between_values(c, batch);
      } else {
        collect(c);
      }
      return;
    }
    value_byte(c, batch);
  }

  /// Outside any record: at the top level, or between the elements of a document array.
  void between_values(char c, RecordBatch &batch) {
    if (!in_document_) {
      if (after_value_) {
        invalid_ = true; // D10: values are separated by whitespace
      }
      if (c == '[') {
        in_document_ = true;
        element_expected_ = true;
        had_element_ = false;
        document_line_ = line_;
      } else {
        begin_record(c, false); // an object; any other value is an error when it ends (D12)
      }
      return;
    }
    if (c == ']') {
      if (element_expected_ && had_element_) {
        invalid_ = true; // a trailing comma
      }
      in_document_ = false;
      after_value_ = true;
      return;
    }
    if (c == ',') {
      if (element_expected_) {
        batch.errors.emplace_back(line_, "not valid JSON: a comma without an element");
        invalid_ = true;
      }
      element_expected_ = true;
      return;
    }
    if (!element_expected_) {
      batch.errors.emplace_back(line_, "not valid JSON: elements without a comma");
      invalid_ = true;
    }
    element_expected_ = false;
    had_element_ = true;
    begin_record(c, true);
  }

  void begin_record(char c, bool element) {
    record_.clear();
    oversize_ = false;
    record_line_ = line_;
    collecting_ = true;
    element_ = element;
    if (element) {
      record_ += '[';
    }
    record_ += c;
    stack_.clear();
    scalar_ = false;
    if (c == '{' || c == '[') {
      stack_.push_back(c);
      last_ = c;
    } else if (c == '}' || c == ']' || c == ',' || c == ':') {
      collecting_ = false;
      batch_error_pending_ = true; // reported by the caller's batch below
    } else {
      scalar_ = true; // a scalar: an element the expander reports, or a top-level error
      in_string_ = c == '"';
    }
  }

  void value_byte(char c, RecordBatch &batch) {
    if (c == '{' || c == '[') {
      if (last_ != '{' && last_ != '[' && last_ != ',' && last_ != ':') {
        broken(batch, "not valid JSON: a value without a separator");
        between_values(c, batch);
        return;
      }
      stack_.push_back(c);
      collect(c);
      last_ = c;
      return;
    }
    if (c == '}' || c == ']') {
      if (stack_.back() != (c == '}' ? '{' : '[')) {
        broken(batch, "not valid JSON: mismatched brackets");
        skip_line_ = true;
        return;
      }
      stack_.pop_back();
      collect(c);
      last_ = c;
      if (stack_.empty()) {
        emit(batch);
      }
      return;
    }
    collect(c);
    if (c == '"') {
      in_string_ = true;
    }
    last_ = c;
  }

  void collect(char c) {
    if (!collecting_ || oversize_) {
      return;
    }
    if (record_.size() >= max_record_) {
      oversize_ = true;
      record_.clear();
      return;
    }
    record_ += c;
  }

  void emit(RecordBatch &batch) {
    collecting_ = false;
    const bool scalar = scalar_;
    scalar_ = false;
    if (!element_) {
      after_value_ = true;
    }
    if (oversize_) {
      batch.errors.emplace_back(record_line_,
                                fmt::format("record longer than {} bytes; skipped", max_record_));
      return;
    }
    if (element_) {
      record_ += ']';
    }
    if (validating_ && !valid_json(record_)) {
      invalid_ = true;
    }
    if (scalar && !element_) {
      batch.errors.emplace_back(record_line_,
                                "a top-level value that is not a JSON object or array");
      return;
    }
    batch.text.append(record_);
    batch.text.push_back('\n');
    batch.line_numbers.push_back(record_line_);
  }

  bool valid_json(const std::string &text) {
    simdjson::dom::element value;
    return !validator_.parse(text).get(value);
  }

  /// The value being read is not well formed: one error, and reading starts afresh.
  void broken(RecordBatch &batch, std::string message) {
    batch.errors.emplace_back(collecting_ ? record_line_ : line_, std::move(message));
    invalid_ = true;
    collecting_ = false;
    scalar_ = false;
    in_string_ = false;
    escape_ = false;
    in_document_ = false;
    after_value_ = false;
    stack_.clear();
  }

  void end_sequence(RecordBatch &batch) {
    if (collecting_ && scalar_ && stack_.empty() && !in_string_) {
      emit(batch);
    } else if (collecting_) {
      batch.errors.emplace_back(record_line_, "not valid JSON: the value is cut short");
      invalid_ = true;
    } else if (in_document_) {
      batch.errors.emplace_back(document_line_, "not valid JSON: the array is cut short");
      invalid_ = true;
    }
    add_fault(batch);
  }

  // --- CSV -----------------------------------------------------------------------------------

  /// Reads the header (the first non-blank record, known to be one line).
  void read_csv_header() {
    std::vector<std::string> fields;
    std::uint64_t start = 0;
    bool malformed = false;
    while (read_csv_record(fields, start, malformed)) {
      if (!malformed && !is_blank_record(fields)) {
        break;
      }
    }
    for (std::string &field : fields) {
      bool utc = false;
      if (field.ends_with(" [UTC]")) {
        field.resize(field.size() - 6);
        utc = true;
      }
      columns_.push_back(field);
      utc_.push_back(utc);
    }
  }

  static bool is_blank_record(const std::vector<std::string> &fields) {
    return fields.size() == 1 && std::all_of(fields[0].begin(), fields[0].end(),
                                             [](char c) { return c == ' ' || c == '\t'; });
  }

  /// One CSV record (D16): false at the end of the text. `quoted_` marks quoted fields.
  bool read_csv_record(std::vector<std::string> &fields, std::uint64_t &start, bool &malformed) {
    fields.clear();
    quoted_.clear();
    malformed = false;
    start = line_;
    int c = get();
    if (c < 0) {
      return false;
    }
    std::string field;
    bool quoted = false;
    enum { field_start, unquoted, in_quotes, after_quote } state = field_start;
    const auto end_field = [&] {
      fields.push_back(std::move(field));
      quoted_.push_back(quoted);
      field.clear();
      quoted = false;
      state = field_start;
    };
    std::size_t bytes = 0;
    for (; c >= 0; c = get()) {
      const char ch = static_cast<char>(c);
      if (ch == '\n') {
        ++line_;
      }
      if (++bytes > max_record_ && !oversize_csv_) {
        oversize_csv_ = true; // the record is read to its end but not kept
        field.clear();
        fields.clear();
        quoted_.clear();
      }
      if (state == in_quotes) {
        if (ch == '"') {
          state = after_quote;
        } else if (!oversize_csv_) {
          field += ch;
        }
        continue;
      }
      if (state == after_quote) {
        if (ch == '"') {
          field += '"';
          state = in_quotes;
          continue;
        }
        if (ch == '\r' && peek_byte() == '\n') {
          continue;
        }
        if (ch == ',') {
          end_field();
          continue;
        }
        if (ch == '\n') {
          end_field();
          return true;
        }
        malformed = true;
        state = unquoted;
        continue;
      }
      if (ch == '\r' && peek_byte() == '\n') {
        continue;
      }
      if (ch == '\n') {
        end_field();
        return true;
      }
      if (ch == ',') {
        end_field();
        continue;
      }
      if (ch == '"') {
        if (state == field_start) {
          quoted = true;
          state = in_quotes;
        } else {
          malformed = true; // a stray quote opens nothing: the record ends at the next line end
          state = unquoted;
        }
        continue;
      }
      if (!oversize_csv_) {
        field += ch;
      }
      state = unquoted;
    }
    if (state == in_quotes) {
      malformed = true; // an unterminated quote: the rest of the text is this record
    }
    end_field();
    return true;
  }

  bool next_csv(RecordBatch &batch, std::size_t size) {
    batch.text.size = 0;
    batch.line_numbers.clear();
    if (done_) {
      return false;
    }
    std::vector<std::string> fields;
    std::uint64_t start = 0;
    bool malformed = false;
    while (batch.text.size < size) {
      if (!read_csv_record(fields, start, malformed)) {
        done_ = true;
        add_fault(batch);
        break;
      }
      if (oversize_csv_) {
        oversize_csv_ = false;
        batch.errors.emplace_back(
            start, fmt::format("CSV record longer than {} bytes; skipped", max_record_));
        continue;
      }
      if (malformed) {
        batch.errors.emplace_back(start, "malformed CSV record (a quote out of place)");
        continue;
      }
      if (is_blank_record(fields) && !quoted_[0]) {
        continue;
      }
      if (fields.size() != columns_.size()) {
        batch.errors.emplace_back(start, fmt::format("CSV record of {} fields; the header has {}",
                                                     fields.size(), columns_.size()));
        continue;
      }
      row_.clear();
      append_csv_row(row_, fields);
      batch.text.append(row_);
      batch.line_numbers.push_back(start);
    }
    return batch.text.size > 0 || !batch.errors.empty();
  }

  void append_csv_row(std::string &out, const std::vector<std::string> &fields) {
    out += "[{";
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) {
        out += ',';
      }
      append_json_string(out, columns_[i]);
      out += ':';
      if (fields[i].empty()) {
        out += "null"; // D18: an empty cell, quoted or not
        continue;
      }
      if (utc_[i]) {
        if (const auto iso = portal_datetime_to_iso(fields[i])) {
          append_json_string(out, *iso);
          continue;
        }
      }
      append_json_string(out, fields[i]);
    }
    out += "}]\n";
  }

private:
  friend class RecordFramer;
  std::unique_ptr<PeekStream> text_;
  std::size_t max_record_;
  bool needs_validation_ = false;
  /// Validating (D10): records are parsed, and any fault makes the text not a sequence.
  bool validating_ = false;
  bool invalid_ = false;
  std::string spool_fault_;  ///< the fault of the stream the text was spooled from
  bool after_value_ = false; ///< a top-level value just ended: whitespace must follow
  bool had_element_ = false;
  bool batch_error_pending_ = false;
  simdjson::dom::parser validator_;
  std::vector<char> in_ = std::vector<char>(std::size_t{64} * 1024);
  std::size_t pos_ = 0;
  std::size_t len_ = 0;
  bool eof_ = false;
  bool done_ = false;
  std::uint64_t line_ = 1;
  std::string carry_;
  bool eof_long_ = false;
  // sequence state
  std::string record_;
  std::uint64_t record_line_ = 0;
  std::uint64_t document_line_ = 0;
  std::vector<char> stack_;
  bool collecting_ = false;
  bool element_ = false;
  bool scalar_ = false;
  bool in_document_ = false;
  bool element_expected_ = false;
  bool in_string_ = false;
  bool escape_ = false;
  bool skip_line_ = false;
  bool oversize_ = false;
  char last_ = 0;
  // CSV state
  std::vector<std::string> columns_;
  std::vector<bool> utc_;
  std::vector<bool> quoted_;
  std::string row_;
  bool oversize_csv_ = false;
};

RecordFramer::RecordFramer(std::unique_ptr<PeekStream> text, std::size_t max_record,
                           bool json_lines, const Reopen &reopen)
    : impl_(std::make_unique<Impl>(std::move(text), max_record)) {
  framing_ = impl_->sniff();
  if (json_lines && framing_ != Framing::empty) {
    framing_ = Framing::json_lines;
  } else if (impl_->needs_validation_) {
    decide_sequence_or_lines(max_record, reopen);
  }
  if (framing_ == Framing::csv) {
    impl_->read_csv_header();
  }
}

void RecordFramer::decide_sequence_or_lines(std::size_t max_record, const Reopen &reopen) {
  // D10: the whole text decides. A file is read twice, once to check it; a stream that may not
  // be read twice (an archive member) is kept in an unnamed temporary file first.
  std::function<std::unique_ptr<Impl>()> fresh;
  if (reopen) {
    fresh = [&] {
      auto impl = std::make_unique<Impl>(reopen(), max_record);
      impl->sniff(); // drops the byte-order mark again
      return impl;
    };
  } else {
    const char *tmp = std::getenv("TMPDIR");
    const int fd =
        ::open(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
      throw Error(fmt::format("cannot make a temporary file: {}", std::strerror(errno)));
    }
    spool_ = std::shared_ptr<void>(nullptr, [fd](void *) { ::close(fd); });
    std::vector<char> buffer(std::size_t{1} << 20);
    for (std::size_t got; (got = impl_->text_->read(buffer.data(), buffer.size())) > 0;) {
      for (std::size_t done = 0; done < got;) {
        const ssize_t put = ::write(fd, buffer.data() + done, got - done);
        if (put < 0 && errno != EINTR) {
          throw Error(fmt::format("cannot write a temporary file: {}", std::strerror(errno)));
        }
        done += static_cast<std::size_t>(std::max<ssize_t>(put, 0));
      }
    }
    const std::string fault = impl_->text_->fault();
    fresh = [fd, fault, max_record] {
      ::lseek(fd, 0, SEEK_SET);
      auto impl = std::make_unique<Impl>(
          std::make_unique<PeekStream>(open_fd_stream(fd, "temporary file")), max_record);
      impl->spool_fault_ = fault;
      return impl;
    };
  }
  auto check = fresh();
  check->validating_ = true;
  RecordBatch batch;
  while (check->next_sequence(batch, std::size_t{1} << 20) && !check->invalid_) {
  }
  framing_ = check->invalid_ ? Framing::json_lines : Framing::sequence;
  impl_ = fresh();
}

RecordFramer::~RecordFramer() = default;

const std::vector<std::string> &RecordFramer::csv_columns() const { return impl_->columns_; }

bool RecordFramer::next(RecordBatch &batch, std::size_t size) {
  batch.errors.clear();
  batch.relative_errors.clear();
  batch.line_numbers.clear();
  batch.skipped_lines = 0;
  switch (framing_) {
  case Framing::json_lines:
    return impl_->next_lines(batch, size);
  case Framing::sequence:
    return impl_->next_sequence(batch, size);
  case Framing::csv:
    return impl_->next_csv(batch, size);
  case Framing::empty:
    break;
  }
  batch.text.size = 0;
  if (!impl_->done_) {
    impl_->done_ = true;
    char byte;
    while (impl_->text_->read(&byte, 1) > 0) {
    }
    impl_->add_fault(batch);
    return !batch.errors.empty();
  }
  return false;
}

} // namespace usbexfil
