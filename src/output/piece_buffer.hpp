// The writers' output buffer: text is gathered in one reused string and handed to the sink
// whenever it holds about 64 KiB, so that no format holds its whole output in memory.
#pragma once

#include "usbexfil/output/json_lines_writer.hpp"

#include <string>

namespace usbexfil::output {

/// Bytes gathered before the sink is called.
inline constexpr std::size_t OUTPUT_PIECE = std::size_t{64} * 1024;

class PieceBuffer {
public:
  explicit PieceBuffer(const OutputSink &sink) : sink_(sink) {
    text.reserve(2 * OUTPUT_PIECE); // room for the finding that crosses the mark
  }
  PieceBuffer(const PieceBuffer &) = delete;
  PieceBuffer &operator=(const PieceBuffer &) = delete;

  /// Hands the text to the sink once it holds a piece's worth; call between findings.
  void flush_if_full() {
    if (text.size() >= OUTPUT_PIECE) {
      sink_(text);
      text.clear();
    }
  }
  /// Hands what is left to the sink.
  void finish() {
    if (!text.empty()) {
      sink_(text);
      text.clear();
    }
  }

  std::string text; ///< append here

private:
  const OutputSink &sink_;
};

} // namespace usbexfil::output
