#include "usbexfil/diagnostics.hpp"

#include <fmt/format.h>

namespace usbexfil {

std::string format_diagnostic(const Diagnostic &diagnostic) {
  if (diagnostic.line == 0) { // about the file as a whole
    return fmt::format("{}: {}", diagnostic.file, diagnostic.message);
  }
  if (diagnostic.column == 0) {
    return fmt::format("{}:{}: {}", diagnostic.file, diagnostic.line, diagnostic.message);
  }
  return fmt::format("{}:{}:{}: {}", diagnostic.file, diagnostic.line, diagnostic.column,
                     diagnostic.message);
}

} // namespace usbexfil
