// `usbexfil explain`: the funnel and the per-alert verdicts on stdout (or -o FILE), warnings and
// data errors on stderr.
#pragma once

#include "cli/options.hpp"

#include <spdlog/logger.h>

namespace usbexfil::cli {

/// Runs explain_rule over the inputs and writes the explanation as text or JSON; returns 0.
int run_explain(const RunOptions &options, spdlog::logger &log);

} // namespace usbexfil::cli
