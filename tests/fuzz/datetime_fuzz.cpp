// Fuzz target: the datetime parser (src/datetime.cpp) and the portal datetime rewriting of CSV
// cells (record_stream.hpp). Checks that parsing never crashes, that a datetime it reads lies in
// Kusto's range (0001-01-01 to 9999-12-31T23:59:59.9999999Z), and that parse -> format -> parse
// round-trips: the formatted text is the fixed 28-character form and reads back as the same
// ticks. A portal datetime rewritten to ISO 8601 must be in the grammar's shape.
#include "fuzz_support.hpp"
#include "load/record_stream.hpp"
#include "usbexfil/datetime.hpp"

#include <cstdint>
#include <string>
#include <string_view>

using namespace usbexfil;

namespace {

// 9999-12-31T23:59:59.9999999Z + 1 tick, in ticks since 0001-01-01.
constexpr std::int64_t END_OF_TIME = 3'155'378'976'000'000'000;

void round_trip(std::string_view text) {
  const Datetime parsed = parse_datetime(text);
  if (parsed.is_null()) {
    FUZZ_CHECK(format_datetime(parsed).empty(), "a null datetime formats as empty");
    return;
  }
  FUZZ_CHECK(parsed.ticks() >= 0 && parsed.ticks() < END_OF_TIME, "out of Kusto's range",
             std::string(text));
  const std::string formatted = format_datetime(parsed);
  FUZZ_CHECK(formatted.size() == 28 && formatted[4] == '-' && formatted[10] == 'T' &&
                 formatted[19] == '.' && formatted[27] == 'Z',
             "not the fixed form", std::string(text) + " -> " + formatted);
  const Datetime again = parse_datetime(formatted);
  FUZZ_CHECK(again == parsed, "parse(format(x)) != x", std::string(text) + " -> " + formatted);
  FUZZ_CHECK(format_datetime(again) == formatted, "format is not stable", formatted);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  round_trip(text);
  if (const auto iso = portal_datetime_to_iso(text)) {
    FUZZ_CHECK(iso->size() >= 20 && iso->back() == 'Z' && (*iso)[10] == 'T',
               "a portal datetime rewritten to something else", *iso);
    round_trip(*iso); // may be null (2/30/2026 is not a date), never a crash
  }
  return 0;
}
