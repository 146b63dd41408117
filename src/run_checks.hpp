// The checks run_pipeline and explain_rule share (docs/cli.md, "--strict"; inputs.md D27): that
// there is input at all, that some file reached a table, and what --strict makes of a file that
// was not read, a table without rows and a table without input. One copy, so that `explain`
// refuses and warns exactly where `run` does.
#pragma once

#include "usbexfil/load/inputs.hpp"
#include "usbexfil/load/scan.hpp"

#include <string>
#include <vector>

namespace usbexfil::run_checks {

/// Throws when no input file was given at all.
void require_input_files(const Inputs &inputs);

/// After the SecurityAlert scan (`alerts`, the first scan of every run, which also sees the files
/// whose records name their table): throws when no file could belong to any table.
void require_some_table(const Inputs &inputs, const LoadStats &alerts);

/// A table's scan is done: under `strict`, a file that was not read or a table whose inputs gave
/// no row throws; otherwise the scan's notes (files not read) move to `warnings`.
void take_notes(LoadStats &table, bool strict, std::vector<std::string> &warnings);

/// Every table's scan is done (D27): a table without input throws under `strict` and is a
/// warning otherwise.
void check_every_table_has_input(const std::vector<LoadStats> &tables, bool strict,
                                 std::vector<std::string> &warnings);

} // namespace usbexfil::run_checks
