// Runs the usbexfil binary in a shell and captures its exit code, stdout and stderr.
#pragma once

#include "test_support.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <string>

namespace usbexfil::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `usbexfil ARGS` (ARGS is shell text) with stdout and stderr captured; `environment`
/// (shell text, e.g. `NO_COLOR=1`) is put before the command.
inline CommandResult run_usbexfil(const std::string &args, const std::string &environment = "") {
  TempDir capture;
  const std::string command = environment + " '" + USBEXFIL_BINARY + "' " + args + " >'" +
                              capture.file("out") + "' 2>'" + capture.file("err") + "'";
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(capture.file("out"));
  result.err = read_file(capture.file("err"));
  return result;
}

} // namespace usbexfil::testing
