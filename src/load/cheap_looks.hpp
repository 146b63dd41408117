// The looks a filtered scan takes at a line before the full, validating parse:
//   1. the raw bytes (RawPrefilter): no kept ActionType value and no `\u` escape -> skip;
//   2. the raw bytes again, for the values of a pushed-down key (UPNs, AccountObjectIds,
//      DeviceIds), when the line has no `\u` escape -> skip if none is present;
//   3. simdjson On-Demand (QuickFields) reads the filter's columns, unescaped -> skip if not
//      admitted. A line with `\u` escapes skips the raw looks (a value may be spelled with
//      escapes) but still gets this one, with its keys unescaped too.
// Each look only ever answers "certainly not admitted" or "maybe"; "maybe" goes to the next look
// and finally to the DOM parse, which decides and reports malformed lines.
#pragma once

#include "load/prefilter.hpp"
#include "load/quick_fields.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace usbexfil {

template <std::size_t N> class CheapLooks {
public:
  /// `actions`: the ActionType values kept; `values`: a pushed-down key's values (or null);
  /// `fields`: the columns the filter reads, in the order `admit` takes them.
  CheapLooks(const std::vector<std::string> &actions,
             const std::unordered_set<std::string_view> *values,
             const std::array<std::string_view, N> &fields)
      : actions_(actions), quick_(fields) {
    if (values != nullptr) {
      values_ = PrefixSpotter::make(std::vector<std::string_view>(values->begin(), values->end()));
    }
  }

  /// False only when the row certainly is not admitted; `admit(fields)` is the filter.
  template <class Admit> bool may_admit(std::string_view line, Admit admit) {
    const RawMatch raw = actions_.scan(line);
    if (raw == RawMatch::none) {
      return false;
    }
    const bool escaped = raw == RawMatch::escape;
    if (!escaped && values_ && !values_->spot(line)) {
      return false; // none of the values in a line without \u escapes
    }
    std::array<std::string_view, N> fields;
    return !quick_.read(line, fields, escaped) || admit(fields);
  }

private:
  RawPrefilter actions_;
  std::optional<PrefixSpotter> values_;
  QuickFields<N> quick_;
};

} // namespace usbexfil
