// Data errors and warnings about input rows, collected by the loaders and printed by the CLI.
// Each names file, line and (where known) byte column; messages are capped per file, with a
// count of those not kept, so a file of garbage cannot flood the terminal or memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace usbexfil {

enum class Severity { warning, error };

/// One message about one input line: `file:line[:column]: message`.
struct Diagnostic {
  Severity severity = Severity::error;
  std::string file;
  std::uint64_t line = 0;
  std::uint64_t column = 0; ///< 1-based byte column; 0 when unknown
  std::string message;
};

/// `file:line[:column]: message`.
std::string format_diagnostic(const Diagnostic &diagnostic);

/// The messages kept for one file, and how many more there were.
struct FileDiagnostics {
  std::string file;
  std::vector<Diagnostic> shown;
  std::uint64_t not_shown = 0;
};

/// How many messages per file are kept; the rest are counted.
inline constexpr std::size_t DIAGNOSTICS_PER_FILE = 20;

} // namespace usbexfil
