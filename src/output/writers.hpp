// The writers behind make_findings_writer (usbexfil/output/writer.hpp), one per format, and the
// helpers the human-readable ones share.
#pragma once

#include "usbexfil/output/writer.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace usbexfil::output {

std::unique_ptr<FindingsWriter> make_csv_writer(const OutputOptions &options);
std::unique_ptr<FindingsWriter> make_table_writer(const OutputOptions &options);
std::unique_ptr<FindingsWriter> make_html_writer(const OutputOptions &options);

/// `YYYY-MM-DD HH:MM:SS` (UTC, to the second), or `none` for a null datetime.
std::string short_datetime(Datetime value);

/// `short_datetime(from) .. short_datetime(to)`, the second without its date when both are on
/// the same day.
std::string short_window(Datetime from, Datetime to);

} // namespace usbexfil::output
