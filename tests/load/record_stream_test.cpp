#include "load/record_stream.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>

using namespace usbexfil;

namespace {

class StringStream final : public ByteStream {
public:
  explicit StringStream(std::string bytes) : bytes_(std::move(bytes)) {}
  std::size_t read(char *out, std::size_t size) override {
    const std::size_t count = std::min(size, bytes_.size() - at_);
    bytes_.copy(out, count, at_);
    at_ += count;
    return count;
  }

private:
  std::string bytes_;
  std::size_t at_ = 0;
};

struct Framed {
  Framing framing = Framing::empty;
  std::vector<std::string> records; ///< record lines, without their newline
  std::vector<std::uint64_t> lines; ///< the line each record starts on
  std::vector<std::pair<std::uint64_t, std::string>> errors;
  std::vector<std::string> columns;
};

Framed frame(std::string text, std::size_t batch = 1 << 20, std::size_t max_record = 1 << 20) {
  RecordFramer framer(std::make_unique<PeekStream>(std::make_unique<StringStream>(std::move(text))),
                      max_record);
  Framed framed;
  framed.framing = framer.framing();
  framed.columns = framer.csv_columns();
  RecordBatch out;
  std::uint64_t next_line = 1; // of passed-through text
  while (framer.next(out, batch)) {
    const std::string_view lines = out.text.view();
    for (const auto &[offset, message] : out.relative_errors) {
      framed.errors.emplace_back(next_line + offset, message);
    }
    std::uint64_t index = 0;
    for (std::size_t start = 0; start < lines.size(); ++index) {
      const std::size_t end = lines.find('\n', start);
      framed.records.emplace_back(lines.substr(start, end - start));
      framed.lines.push_back(out.line_numbers.empty() ? next_line + index
                                                      : out.line_numbers[index]);
      start = end + 1;
    }
    if (out.line_numbers.empty()) {
      next_line += index + out.skipped_lines;
    }
    framed.errors.insert(framed.errors.end(), out.errors.begin(), out.errors.end());
  }
  return framed;
}

/// Hands out its bytes 1 to 37 at a time, so that runs of blanks and strings are cut at every
/// place by the framer's refills.
class ChoppyStream final : public ByteStream {
public:
  ChoppyStream(std::string bytes, unsigned seed) : bytes_(std::move(bytes)), random_(seed) {}
  std::size_t read(char *out, std::size_t size) override {
    const std::size_t count =
        std::min({size, bytes_.size() - at_, std::size_t{1} + random_() % 37});
    bytes_.copy(out, count, at_);
    at_ += count;
    return count;
  }

private:
  std::string bytes_;
  std::size_t at_ = 0;
  std::mt19937 random_;
};

std::string minified(std::string_view json) {
  std::string out(json.size(), '\0');
  std::size_t size = 0;
  if (simdjson::minify(json.data(), json.size(), out.data(), size) != simdjson::SUCCESS) {
    return "(not JSON) " + std::string(json);
  }
  out.resize(size);
  return out;
}

} // namespace

TEST(Framing, PrettyPrintedRecordsAreTheSameJsonWhateverTheBlanksAndStrings) {
  // Random objects pretty-printed with runs of spaces, tabs and CRs (and CRLF line ends), their
  // strings holding quotes, backslashes and escapes at every offset of a 16-byte step: each
  // record the framer cuts is the object it was, and starts on the object's line.
  std::mt19937 random(5);
  const auto blanks = [&] {
    static const std::string kinds = "  \t\r";
    std::string run(random() % 20, ' ');
    for (char &c : run) {
      c = kinds[random() % kinds.size()];
    }
    return run;
  };
  const auto string_value = [&] {
    static const std::vector<std::string> pieces = {"a", "bc", "\\\"", "\\\\", "\\u00e9",
                                                    "é", "]}", "{[",   ",:",   " "};
    std::string text = "\"";
    for (std::size_t n = random() % 12; n > 0; --n) {
      text += pieces[random() % pieces.size()];
    }
    return text + std::string(random() % 40, 'x') + "\"";
  };
  for (int round = 0; round < 300; ++round) {
    std::string text = "[" + blanks() + "\n";
    std::vector<std::string> expected;
    std::vector<std::uint64_t> lines;
    std::uint64_t line = 2;
    const std::size_t objects = 1 + random() % 5;
    for (std::size_t o = 0; o < objects; ++o) {
      std::string object = blanks() + "{" + blanks() + "\r\n";
      const std::size_t start = line++;
      const std::size_t members = 1 + random() % 6;
      for (std::size_t m = 0; m < members; ++m) {
        object += blanks() + string_value() + blanks() + ":" + blanks();
        switch (random() % 3) {
        case 0:
          object += string_value();
          break;
        case 1:
          object += std::to_string(random() % 100000);
          break;
        default:
          object += "[" + blanks() + string_value() + blanks() + "," + blanks() + "null]";
        }
        object += blanks() + (m + 1 < members ? "," : "") + blanks() + "\n";
        ++line;
      }
      object += blanks() + "}";
      ++line;
      expected.push_back(minified("[" + object + "]"));
      lines.push_back(start);
      text += object + blanks() + (o + 1 < objects ? "," : "") + "\n";
    }
    text += "]\n";
    RecordFramer framer(std::make_unique<PeekStream>(std::make_unique<ChoppyStream>(text, round)),
                        1 << 20);
    ASSERT_EQ(framer.framing(), Framing::sequence) << text;
    RecordBatch out;
    std::vector<std::string> records;
    std::vector<std::uint64_t> record_lines;
    while (framer.next(out, 1 + round % 700)) {
      ASSERT_TRUE(out.errors.empty()) << out.errors.front().second << "\n" << text;
      const std::string_view batch = out.text.view();
      std::size_t index = 0;
      for (std::size_t begin = 0; begin < batch.size(); ++index) {
        const std::size_t end = batch.find('\n', begin);
        records.push_back(minified(batch.substr(begin, end - begin)));
        record_lines.push_back(out.line_numbers[index]);
        begin = end + 1;
      }
    }
    ASSERT_EQ(records, expected) << text;
    EXPECT_EQ(record_lines, lines) << text;
  }
}

TEST(Framing, TheFirstNonBlankLineDecides) {
  EXPECT_EQ(frame("\n  \n{\"a\":1}\n{\"b\":2}\n").framing, Framing::json_lines);
  EXPECT_EQ(frame("\xEF\xBB\xBF{\"a\":1}\n").framing, Framing::json_lines);
  EXPECT_EQ(frame("{\n  \"a\": 1\n}\n").framing, Framing::sequence);
  EXPECT_EQ(frame("[{\"a\":1},{\"b\":2}]").framing, Framing::sequence); // the only line
  EXPECT_EQ(frame("[1]\n{\"a\":1}\n").framing, Framing::json_lines);    // D11: not the only one
  EXPECT_EQ(frame("TimeGenerated [UTC],Type\r\nx,y\r\n").framing, Framing::csv);
  EXPECT_EQ(frame(" \n\t\r\n").framing, Framing::empty);
  EXPECT_EQ(frame("").framing, Framing::empty);
}

TEST(Framing, JsonLinesPassThroughWithTheirLineNumbers) {
  const Framed framed = frame("{\"a\":1}\n\n{\"b\":2}\r\n{\"c\":3}", 8);
  EXPECT_EQ(framed.records,
            (std::vector<std::string>{"{\"a\":1}", "", "{\"b\":2}\r", "{\"c\":3}"}));
  EXPECT_EQ(framed.lines, (std::vector<std::uint64_t>{1, 2, 3, 4}));
}

TEST(Framing, ALineLongerThanARecordMayBeIsOneErrorAndSkipped) {
  const std::string text = "{\"a\":1}\n{\"big\":\"" + std::string(5000, 'x') + "\"}\n{\"c\":3}\n";
  const Framed framed = frame(text, 64, 1024);
  EXPECT_EQ(framed.records, (std::vector<std::string>{"{\"a\":1}", "{\"c\":3}"}));
  EXPECT_EQ(framed.lines, (std::vector<std::uint64_t>{1, 3}));
  ASSERT_EQ(framed.errors.size(), 1u);
  EXPECT_EQ(framed.errors[0].first, 2u);
}

TEST(Framing, SequenceValuesBecomeOneLineRecordsAtAnyBatchSize) {
  const std::string text = "{\n  \"a\": \"x y\",\n  \"b\": [1,\n 2]\n}\n[\n {\"c\": 1},\n {\"d\": "
                           "{\"e\": \"]}\"}}\n]\n{\"f\":\"\\\"\"}";
  for (const std::size_t batch : {std::size_t{1}, std::size_t{1} << 20}) {
    const Framed framed = frame(text, batch);
    EXPECT_EQ(framed.framing, Framing::sequence);
    EXPECT_EQ(framed.records,
              (std::vector<std::string>{"{\"a\":\"x y\",\"b\":[1,2] }", "[{\"c\":1}]",
                                        "[{\"d\":{\"e\":\"]}\"}}]", "{\"f\":\"\\\"\"}"}));
    EXPECT_EQ(framed.lines, (std::vector<std::uint64_t>{1, 7, 8, 10}));
    EXPECT_TRUE(framed.errors.empty());
  }
}

TEST(Framing, TopLevelScalarsAreErrorsButTheSequenceStands) {
  const Framed framed = frame("{\n\"a\":1}\n42\n\"text\"\n{\"b\":2}\n");
  EXPECT_EQ(framed.framing, Framing::sequence);
  EXPECT_EQ(framed.records, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  ASSERT_EQ(framed.errors.size(), 2u);
  EXPECT_EQ(framed.errors[0].first, 3u);
  EXPECT_EQ(framed.errors[1].first, 4u);
}

TEST(Framing, AFileThatIsNoValidSequenceIsReadAsJsonLines) {
  // D10: the first line is damaged, the rest are JSON lines.
  const Framed damaged = frame("{\"a\": NaN}\n{\"b\":2}\n{} trailing\n");
  EXPECT_EQ(damaged.framing, Framing::json_lines);
  EXPECT_EQ(damaged.records.size(), 3u);
  // Two objects on the first line without whitespace between them.
  EXPECT_EQ(frame("{\"a\":1}{\"b\":2}\n").framing, Framing::json_lines);
  // Two objects separated by a space: a valid sequence (D32's fifth exception).
  EXPECT_EQ(frame("{\"a\":1} {\"b\":2}\n").framing, Framing::sequence);
}

TEST(Framing, CsvRecordsBecomeJsonObjects) {
  const std::string text =
      "\xEF\xBB\xBFTimeGenerated [UTC],Name,Extra,Fields\r\n"
      "\"3/10/2026, 9:02:11.900 AM\",\"a \"\"b\"\"\",,\"{\"\"DriveLetter\"\":\"\"E:\"\"}\"\r\n"
      "\r\n"
      "2026-03-10T09:00:00Z,\"multi\r\nline\",x,\"\"\r\n"
      "12/1/2025, 12:05:00 PM,bad\"quote,x,y\r\n"
      "1/2/2025, 12:00:00 AM,short\r\n"
      "\"1/2/2025, 1:00:00 PM\",last,,\n";
  const Framed framed = frame(text);
  EXPECT_EQ(framed.framing, Framing::csv);
  EXPECT_EQ(framed.columns, (std::vector<std::string>{"TimeGenerated", "Name", "Extra", "Fields"}));
  ASSERT_EQ(framed.records.size(), 3u);
  EXPECT_EQ(framed.records[0], "[{\"TimeGenerated\":\"2026-03-10T09:02:11.900Z\",\"Name\":\"a "
                               "\\\"b\\\"\",\"Extra\":null,\"Fields\":\"{\\\"DriveLetter\\\":"
                               "\\\"E:\\\"}\"}]");
  EXPECT_EQ(framed.records[1], "[{\"TimeGenerated\":\"2026-03-10T09:00:00Z\",\"Name\":\"multi"
                               "\\r\\nline\",\"Extra\":\"x\",\"Fields\":null}]");
  EXPECT_EQ(framed.records[2], "[{\"TimeGenerated\":\"2025-01-02T13:00:00Z\",\"Name\":\"last\","
                               "\"Extra\":null,\"Fields\":null}]");
  EXPECT_EQ(framed.lines, (std::vector<std::uint64_t>{2, 4, 8}));
  ASSERT_EQ(framed.errors.size(), 2u);
  EXPECT_EQ(framed.errors[0].first, 6u); // a quote inside an unquoted field
  EXPECT_EQ(framed.errors[1].first, 7u); // two fields, the header has four
}

TEST(Framing, CsvHeaderNames) {
  EXPECT_TRUE(is_csv_header("TimeGenerated [UTC],ActionType,_ItemId,A1"));
  EXPECT_TRUE(is_csv_header("\"Timestamp\",\"DeviceId\"\r"));
  EXPECT_TRUE(is_csv_header("Time [Local Time]"));
  EXPECT_FALSE(is_csv_header("#TYPE System.Management.Automation.PSCustomObject"));
  EXPECT_FALSE(is_csv_header("a,b c"));
  EXPECT_FALSE(is_csv_header("1a,b"));
  EXPECT_FALSE(is_csv_header("a,,b"));
}

TEST(PortalDatetime, MonthFirstTwelveHourUtc) {
  EXPECT_EQ(portal_datetime_to_iso("5/25/2023, 4:32:49.469 AM"), "2023-05-25T04:32:49.469Z");
  EXPECT_EQ(portal_datetime_to_iso("12/31/2025, 12:00:00 AM"), "2025-12-31T00:00:00Z");
  EXPECT_EQ(portal_datetime_to_iso("1/1/2026, 12:59:59 PM"), "2026-01-01T12:59:59Z");
  EXPECT_EQ(portal_datetime_to_iso("1/1/2026, 11:00:00 PM"), "2026-01-01T23:00:00Z");
  EXPECT_EQ(portal_datetime_to_iso("1/1/2026, 1:00:00.123456789 PM"),
            "2026-01-01T13:00:00.1234567Z");
  EXPECT_EQ(portal_datetime_to_iso("13/1/2026, 1:00:00 PM"), std::nullopt);
  EXPECT_EQ(portal_datetime_to_iso("1/1/2026, 13:00:00 PM"), std::nullopt);
  EXPECT_EQ(portal_datetime_to_iso("1/1/2026 1:00:00 PM"), std::nullopt);
  EXPECT_EQ(portal_datetime_to_iso("1/1/2026, 1:00:00 pm"), std::nullopt);
  EXPECT_EQ(portal_datetime_to_iso("1/1/26, 1:00:00 PM"), std::nullopt);
  EXPECT_EQ(portal_datetime_to_iso("2026-01-01T13:00:00Z"), std::nullopt);
}

TEST(Framing, RecordsLongerThanTheLimitAreOneErrorEachInEveryFraming) {
  const std::string big(4000, 'x');
  const Framed csv = frame("A,B\nshort,1\n\"" + big + "\",2\nlast,3\n", 1 << 20, 1024);
  EXPECT_EQ(csv.records.size(), 2u);
  ASSERT_EQ(csv.errors.size(), 1u);
  EXPECT_EQ(csv.errors[0].first, 3u);
  const Framed sequence =
      frame("[\n{\"a\":1},\n{\"b\":\"" + big + "\"},\n{\"c\":3}\n]\n", 1 << 20, 1024);
  EXPECT_EQ(sequence.records, (std::vector<std::string>{"[{\"a\":1}]", "[{\"c\":3}]"}));
  ASSERT_EQ(sequence.errors.size(), 1u);
  EXPECT_EQ(sequence.errors[0].first, 3u);
}
