#include "run_checks.hpp"

#include "usbexfil/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace usbexfil::run_checks {

void require_input_files(const Inputs &inputs) {
  if (inputs.files.empty()) {
    throw Error("no input file: give a file or folder of exports, or - for standard input");
  }
}

void require_some_table(const Inputs &inputs, const LoadStats &alerts) {
  if (alerts.inputs == 0 && alerts.other_inputs == 0 &&
      std::none_of(inputs.files.begin(), inputs.files.end(),
                   [](const InputFile &f) { return f.table.has_value(); })) {
    throw Error("no input for any of the four tables: a file must be named after its table "
                "(SecurityAlert, CloudAppEvents, DeviceFileEvents, DeviceEvents), sit in a folder "
                "named after one, hold records that name their table, or be given with --alerts, "
                "--cloud-app-events, --device-file-events or --device-events");
  }
}

void take_notes(LoadStats &table, bool strict, std::vector<std::string> &warnings) {
  // --strict: a file that was not read (no table, records naming no table) is an error, not a
  // warning: a strict run reads all of its input or fails.
  if (strict && !table.notes.empty()) {
    throw Error(table.notes.front() + " (--strict: every input file must be read)");
  }
  if (strict && table.scanned && table.inputs > 0 && table.rows_read == 0) {
    throw Error(fmt::format("{}: {} input{} read, no rows (--strict: every table must have rows)",
                            table.table, table.inputs, table.inputs == 1 ? "" : "s"));
  }
  for (std::string &note : table.notes) {
    warnings.push_back(std::move(note));
  }
  table.notes.clear();
}

void check_every_table_has_input(const std::vector<LoadStats> &tables, bool strict,
                                 std::vector<std::string> &warnings) {
  for (const LoadStats &table : tables) {
    if (table.inputs == 0 && strict) {
      throw Error(fmt::format("no input for {} (--strict: every table must have input; name a "
                              "file after it, put it in a folder named after it, or give it with "
                              "--alerts, --cloud-app-events, --device-file-events or "
                              "--device-events)",
                              table.table));
    }
    if (table.inputs == 0) {
      warnings.push_back(fmt::format("no input for {}; the table is empty", table.table));
    }
  }
}

} // namespace usbexfil::run_checks
