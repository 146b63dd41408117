// `usbexfil inspect`: what each input file (and archive member) is, which table it feeds and
// why, and whether the columns the rule reads are there. It runs the same scans as `run`
// (the same sniffing, framing and routing), with workers that count instead of loading, and
// without the push-down filters, so it cannot disagree with `run` about what is read.
#pragma once

#include "usbexfil/datetime.hpp"
#include "usbexfil/load/inputs.hpp"
#include "usbexfil/load/scan.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace usbexfil {

/// One column the rule reads, over the rows a file gave a table.
struct ColumnUse {
  std::string name;
  std::uint64_t present = 0;  ///< rows where the column (or an alias of it) exists
  std::uint64_t nonempty = 0; ///< rows where it is neither null nor ""
};

/// The rows one file gave one table.
struct TableUse {
  SourceTable table = SourceTable::security_alert;
  std::uint64_t rows = 0;
  Datetime first = Datetime::null(); ///< earliest TimeGenerated (or its alias)
  Datetime last = Datetime::null();  ///< latest
  std::vector<ColumnUse> columns;    ///< the rule's columns of the table, in the rule's order
};

/// One file or archive member.
struct InspectedFile {
  FileReport report;
  std::string placement; ///< "DeviceFileEvents (by name)", or "its records name their table"
  std::vector<TableUse> tables;
};

struct Inspection {
  std::vector<InspectedFile> files;  ///< in the order the scans met them
  std::vector<std::string> warnings; ///< as `run` gives them
};

/// Inspects the inputs. Throws Error when an input cannot be read.
Inspection inspect_inputs(const Inputs &inputs, const ScanOptions &options);

} // namespace usbexfil
