// Fuzz target: stage 1's entity expansion (src/stages/expand_alert_entities.cpp) of an arbitrary
// Entities value, directly and through the SecurityAlert loader. Checks that it never crashes
// and, differentially, that one Entities value gives the same (IpAddress, AADUserId) rows
// whichever way it reaches the stage: as the raw input text, as a JSON value in a row, and as
// the JSON text of that value in a string (Sentinel's exports hold either, semantics.md).
#include "fuzz_support.hpp"
#include "usbexfil/load/loaders.hpp"
#include "usbexfil/stages/expand_alert_entities.hpp"
#include "usbexfil/table/columns.hpp"

#include <simdjson.h>

#include <string>
#include <utility>
#include <vector>

using namespace usbexfil;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

/// The rows of `alerts` stage 1 gives for the alert at `time`, in their order.
Pairs pairs_at(const AlertEntityTable &rows, Datetime time) {
  Pairs pairs;
  for (const AlertEntity &row : rows.rows) {
    if (row.alert_time == time) {
      pairs.emplace_back(row.ip_address, row.aad_user_id);
    }
  }
  return pairs;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      constexpr char HEX[] = "0123456789abcdef";
      out += "\\u00";
      out += HEX[(c >> 4) & 0xF];
      out += HEX[c & 0xF];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

const fuzz::ScratchFile &scratch() {
  static const fuzz::ScratchFile file("SecurityAlert.jsonl");
  return file;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string input(reinterpret_cast<const char *>(data), size);
  const Datetime time = parse_datetime("2026-03-10T09:00:00Z");

  // 1. The stage on the raw text (it expects valid JSON from the loader; other text is passed
  //    over, never a crash).
  SecurityAlertTable direct;
  direct.time_generated.push_back(time);
  direct.alert_name.push_back(direct.pool.intern("Mass Download by a single user"));
  direct.status.push_back(direct.pool.intern("New"));
  direct.entities_json.push_back(direct.pool.intern(input));
  const AlertEntityTable raw_rows = expand_alert_entities(direct);

  simdjson::dom::parser parser;
  simdjson::dom::element value;
  if (parser.parse(input).get(value) || value.is_string()) {
    return 0; // a string is read as JSON text by the loader: a different value
  }
  // 2. Through the loader: the value in a row, and its JSON text in a string.
  const std::string minified = simdjson::minify(value);
  const std::string head = R"({"TimeGenerated":")";
  const std::string rest = R"(","AlertName":"mass DOWNLOAD by a single user","Status":"Active",)"
                           R"("Entities":)";
  const std::string lines = head + "2026-03-10T09:00:00Z" + rest + minified + "}\n" + head +
                            "2026-03-10T10:00:00Z" + rest + json_string(minified) + "}\n";
  ScanOptions options;
  options.min_bytes_per_thread = 0;
  LoadStats stats;
  const SecurityAlertTable loaded =
      load_security_alerts({scratch().write(lines)}, {}, options, stats, true);
  FUZZ_CHECK(loaded.size() == 2, "both alerts are loaded", lines);
  FUZZ_CHECK(loaded.entities_json[0] == loaded.entities_json[1],
             "a value and its JSON text are stored alike",
             std::string(loaded.entities_json[0]) + "\n" + std::string(loaded.entities_json[1]));
  const AlertEntityTable rows = expand_alert_entities(loaded);
  const Pairs as_value = pairs_at(rows, time);
  const Pairs as_text = pairs_at(rows, parse_datetime("2026-03-10T10:00:00Z"));
  FUZZ_CHECK(as_value == as_text, "the value and its JSON text expand alike", lines);
  FUZZ_CHECK(as_value == pairs_at(raw_rows, time), "the loader and the raw text expand alike",
             lines);
  return 0;
}
