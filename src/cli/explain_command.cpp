#include "cli/explain_command.hpp"

#include "cli/output_file.hpp"
#include "cli/report.hpp"
#include "usbexfil/explain.hpp"

namespace usbexfil::cli {

int run_explain(const RunOptions &options, spdlog::logger &log) {
  OutputTarget::check(options.output);
  const Inputs inputs = resolve_inputs(options.inputs);
  const Explanation explanation = explain_rule(inputs, options.pipeline);
  OutputTarget output(options.output);
  output.write(options.explain_json ? format_explanation_json(explanation)
                                    : format_explanation_text(explanation));
  output.commit();
  PipelineResult diagnostics; // what report_diagnostics reads: warnings and per-file errors
  diagnostics.tables = explanation.tables;
  diagnostics.warnings = explanation.warnings;
  report_diagnostics(log, diagnostics);
  return 0;
}

} // namespace usbexfil::cli
