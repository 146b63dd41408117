// What the command line names (inputs.md section 1) and where each file's records go
// (section 3): PATHs and per-table options are resolved into a list of input files, each with
// the table its option, name or folder gives it. Folders are walked recursively (D2), a file
// reached twice is read once (D3), and standard input is kept in an unnamed temporary file so
// that every table's scan can read it (D4).
#pragma once

#include "usbexfil/load/table_files.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace usbexfil {

/// What decided a file's table (D20).
enum class PlacedBy { option, name, folder, none };

/// "option", "name", "folder", "records".
std::string_view placed_by_name(PlacedBy by);

/// One input file (or standard input).
struct InputFile {
  std::string path;                 ///< what to open
  std::string label;                ///< the name in messages: the path as reached, or "<stdin>"
  std::optional<SourceTable> table; ///< the table D20 (1)-(3) gives it
  PlacedBy placed_by = PlacedBy::none;
  /// The nearest D21 folder on its path as the command line reached it (an archive's members
  /// fall back to it, D37); set whatever decided `table`.
  std::optional<SourceTable> folder_table;
  std::uint64_t size = 0;
  /// Read as JSON lines whatever its first line is (tests of the line scanner).
  bool force_json_lines = false;
};

/// One source of a table's scan: an input file and where its records go. For a file that is
/// not placed in the table, or is an archive placed by a folder only, the records (or members)
/// say where they go.
struct ScanSource {
  const InputFile *file = nullptr;
  bool placed = true; ///< the file's records all belong to the table (D26, D37)
  /// Report this source's data errors and warnings. A source that is read by every table's
  /// scan (its records name their tables) reports in one scan only.
  bool report = true;
};

/// The command line's inputs before resolution.
struct InputSpec {
  std::vector<std::string> paths;                                  ///< PATH ... (`-`: stdin)
  std::array<std::vector<std::string>, SOURCE_TABLE_COUNT> tables; ///< --alerts P ... per table
};

/// The resolved inputs. Owns the temporary file that holds standard input.
struct Inputs {
  std::vector<InputFile> files; ///< in byte order of their labels
  std::shared_ptr<void> stdin_holder;
};

/// The table a folder name gives (D21): `<T>`, `am-<T>`, `insights-logs-advancedhunting-<T>`,
/// ignoring ASCII case.
std::optional<SourceTable> table_for_folder_name(std::string_view folder);

/// The sources of `table`'s scan among `inputs` (D20, D37): files placed in it, files placed in
/// another table by a folder only (they may be archives whose members go elsewhere), and files
/// that are not placed (their records name their tables). `report_unplaced`: this scan reports
/// the data errors and warnings of unplaced files (one scan should).
std::vector<ScanSource> sources_for_table(const Inputs &inputs, SourceTable table,
                                          bool report_unplaced);

/// Resolves the inputs. Throws Error for a path that does not exist or cannot be read, `-`
/// given twice, or no input at all.
Inputs resolve_inputs(const InputSpec &spec);

/// The inputs of the findings.md command line `usbexfil run DIR` (a folder, read as D2 says).
Inputs resolve_directory(const std::string &dir);

} // namespace usbexfil
