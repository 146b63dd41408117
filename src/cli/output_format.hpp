// --format and its companions: the writer's options from the command line and the terminal.
#pragma once

#include "cli/options.hpp"
#include "usbexfil/output/writer.hpp"
#include "usbexfil/pipeline.hpp"

namespace usbexfil::cli {

/// What the HTML report's summary shows: the inputs as given, the window, the tables' counts.
RunSummary run_summary(const RunOptions &options, const PipelineResult &result);

/// The writer's options. The table format gets colour only on a terminal: standard output is a
/// TTY (not -o FILE), NO_COLOR is unset or empty (no-color.org) and TERM is not `dumb`; its
/// width is COLUMNS, else the terminal's (TIOCGWINSZ), else 80.
OutputOptions output_options(const RunOptions &options, const RunSummary *summary);

} // namespace usbexfil::cli
