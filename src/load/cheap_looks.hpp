// The looks a filtered scan takes at a line before the full, validating parse:
//   1. the raw bytes (RawPrefilter, one SIMD pass): skip a line without `\u` escapes that holds
//      no kept ActionType value, or none of a pushed-down key's values (UPNs, AccountObjectIds,
//      DeviceIds) after that key;
//   2. simdjson On-Demand (QuickFields) reads the filter's columns, unescaped -> skip if not
//      admitted. A line with `\u` escapes passes the raw look (a value may be spelled with
//      escapes) but still gets this one, with its keys unescaped too.
// Each look only ever answers "certainly not admitted" or "maybe"; "maybe" goes to the next look
// and finally to the DOM parse, which decides and reports malformed lines.
#pragma once

#include "load/prefilter.hpp"
#include "load/quick_fields.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace usbexfil {

template <std::size_t N> class CheapLooks {
public:
  /// `actions`: the ActionType values kept; `fields`: the columns the filter reads, in the
  /// order `admit` takes them; `key`, `values`: a pushed-down key column (one of `fields`) and
  /// the values it admits (null: any).
  CheapLooks(const std::vector<std::string> &actions, const std::array<std::string_view, N> &fields,
             std::string_view key, const std::unordered_set<std::string_view> *values)
      : raw_(actions, key, values), quick_(fields) {}

  /// False only when the row certainly is not admitted; `admit(fields)` is the filter.
  template <class Admit> bool may_admit(std::string_view line, Admit admit) {
    const RawMatch raw = raw_.scan(line);
    if (raw == RawMatch::none) {
      return false;
    }
    const bool escaped = raw == RawMatch::escape;
    std::array<std::string_view, N> fields;
    return !quick_.read(line, fields, escaped) || admit(fields);
  }

  /// The first look, for the scanner to run over whole chunks (RawPrefilter::sieve).
  const RawPrefilter &raw() const { return raw_; }

private:
  RawPrefilter raw_;
  QuickFields<N> quick_;
};

} // namespace usbexfil
