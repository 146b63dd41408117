// Writing the findings: to stdout, or to a file that appears only when complete.
#pragma once

#include <string>
#include <string_view>

namespace usbexfil::cli {

/// Standard output was closed by its reader (`usbexfil run ... | head -1` with SIGPIPE ignored):
/// not an error to report; the run ends quietly with 141, as SIGPIPE would end it.
struct BrokenPipe {};

/// On SIGINT, SIGTERM or SIGHUP, removes the temporary files of the OutputTargets that exist,
/// then dies of the signal as it would have (exit 130, 143, 129): an interrupted run leaves no
/// temporary file and the old FILE as it was. Call once, early in main.
void remove_temporary_files_on_signals();

/// Where the findings go. With an empty path, standard output: pieces are written as they come.
/// With a path to a regular file (or to nothing yet), a temporary file beside it that `commit()`
/// syncs and renames over the file (through symbolic links: the link stays, its file is
/// replaced); if `commit()` is never reached (an error, an exception) the temporary file is
/// removed and the file is untouched. With a path to anything else that exists (/dev/null, a
/// FIFO, a terminal), that is opened and written as the pieces come. A directory is an error.
/// Every failure throws Error naming the target.
class OutputTarget {
public:
  explicit OutputTarget(std::string path);
  ~OutputTarget();

  /// Throws the Error the constructor would for a path that cannot be written (a directory, a
  /// missing or unwritable folder), without creating anything: a run checks its output before
  /// any work, so that a bad -o never costs a whole run.
  static void check(const std::string &path);
  OutputTarget(const OutputTarget &) = delete;
  OutputTarget &operator=(const OutputTarget &) = delete;

  void write(std::string_view data);
  void commit();

private:
  std::string path_;    ///< empty for standard output
  std::string replace_; ///< the regular file `commit()` renames the temporary file over
  std::string temp_;    ///< the temporary file while it exists
  int fd_;
  bool direct_ = false; ///< writing straight to a device or FIFO (until `commit()`)
  int slot_ = -1;       ///< where the signal handler finds `temp_` (-1: not registered)
};

} // namespace usbexfil::cli
