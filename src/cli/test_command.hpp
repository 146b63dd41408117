// `usbexfil test DIR...`: runs case folders and compares their findings with expected.jsonl.
#pragma once

#include "cli/options.hpp"

#include <spdlog/logger.h>

namespace usbexfil::cli {

/// Runs every case of `options.case_dirs`, printing one line per case (and the differences of a
/// failed one) and `N passed, M failed` on stdout. Returns 0 when every case passed, 1 when one
/// failed; throws Error when a DIR is neither a case nor a folder of cases.
int run_test_cases(const RunOptions &options, spdlog::logger &log);

} // namespace usbexfil::cli
