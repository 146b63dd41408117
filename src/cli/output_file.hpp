// Writing the findings: to stdout, or to a file that appears only when complete.
#pragma once

#include <string>
#include <string_view>

namespace usbexfil::cli {

/// Writes `data` to standard output; throws Error if it cannot be written in full.
void write_stdout(std::string_view data);

/// Writes `data` to a temporary file beside `path` and renames it over `path`; on any failure the
/// temporary file is removed, `path` is untouched, and Error is thrown.
void write_file_atomically(const std::string &path, std::string_view data);

} // namespace usbexfil::cli
