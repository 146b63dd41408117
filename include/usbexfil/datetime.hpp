// Kusto datetime values: 100 ns ticks since 0001-01-01T00:00:00Z, or null.
// Parsing follows docs/semantics.md ("Values: datetime"); anything the grammar does not accept
// is null, never an error, because a null datetime is a value under the rule's semantics.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace usbexfil {

/// A datetime as 100 ns ticks since 0001-01-01 UTC; `null()` when unreadable or missing.
class Datetime {
public:
  constexpr Datetime() = default;
  static constexpr Datetime from_ticks(std::int64_t ticks) { return Datetime(ticks); }
  static constexpr Datetime null() { return Datetime(); }

  constexpr bool is_null() const { return ticks_ == NULL_TICKS; }
  constexpr std::int64_t ticks() const { return ticks_; }

  /// Kusto comparison: false whenever either side is null.
  friend constexpr bool operator<(Datetime a, Datetime b) {
    return both(a, b) && a.ticks_ < b.ticks_;
  }
  friend constexpr bool operator<=(Datetime a, Datetime b) {
    return both(a, b) && a.ticks_ <= b.ticks_;
  }
  friend constexpr bool operator>=(Datetime a, Datetime b) { return b <= a; }
  /// Identity (null == null), for grouping and sorting; not a Kusto comparison.
  friend constexpr bool operator==(Datetime a, Datetime b) = default;

  /// Total order for sorting: null first, then by ticks.
  constexpr std::int64_t sort_key() const { return ticks_; }

private:
  static constexpr std::int64_t NULL_TICKS = std::numeric_limits<std::int64_t>::min();
  constexpr explicit Datetime(std::int64_t ticks) : ticks_(ticks) {}
  static constexpr bool both(Datetime a, Datetime b) { return !a.is_null() && !b.is_null(); }
  std::int64_t ticks_ = NULL_TICKS;
};

inline constexpr std::int64_t TICKS_PER_SECOND = 10'000'000;

/// Reads ISO 8601 text as semantics.md describes; null for anything else.
Datetime parse_datetime(std::string_view text);

/// `min` and `max` that skip nulls, as Kusto's aggregates do.
Datetime min_skip_null(Datetime a, Datetime b);
Datetime max_skip_null(Datetime a, Datetime b);

/// `YYYY-MM-DDTHH:MM:SS.fffffffZ`; an empty string for null.
std::string format_datetime(Datetime value);

/// Appends `format_datetime(value)` to `out`.
void append_datetime(std::string &out, Datetime value);

} // namespace usbexfil
