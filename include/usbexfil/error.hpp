// The one exception type for fatal conditions: a missing DIR, an unreadable file, a write error,
// or the first malformed row under --strict. `main` catches it, prints it and exits with 2.
#pragma once

#include <stdexcept>
#include <string>

namespace usbexfil {

/// A fatal error whose message is ready for the user (it names the file where there is one).
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace usbexfil
