// Writing the findings: to stdout, or to a file that appears only when complete.
#pragma once

#include <string>
#include <string_view>

namespace usbexfil::cli {

/// Where the findings go. With an empty path, standard output: pieces are written as they come.
/// With a path, a temporary file beside it that `commit()` syncs and renames over the path; if
/// `commit()` is never reached (an error, an exception) the temporary file is removed and the
/// path is untouched. Every failure throws Error naming the target.
class OutputTarget {
public:
  explicit OutputTarget(std::string path);
  ~OutputTarget();
  OutputTarget(const OutputTarget &) = delete;
  OutputTarget &operator=(const OutputTarget &) = delete;

  void write(std::string_view data);
  void commit();

private:
  std::string path_; ///< empty for standard output
  std::string temp_; ///< the temporary file while it exists
  int fd_;
};

} // namespace usbexfil::cli
