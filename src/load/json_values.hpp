// Reading Kusto values out of simdjson DOM elements (semantics.md, "Values"): string columns,
// datetimes, dynamic columns given as JSON or as JSON text, `d.Key` and `tostring()`.
// Private to the library: simdjson never appears in a public header.
#pragma once

#include "load/line_scanner.hpp"
#include "load/pooled.hpp"
#include "usbexfil/datetime.hpp"

#include <simdjson.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace usbexfil::json {

using simdjson::dom::element;

/// Parses one line as a JSON object, in place (the line must be padded). On failure the line is
/// reported as malformed to `context` and false is returned.
class RowParser {
public:
  bool parse(std::string_view padded_line, LineContext &context, simdjson::dom::object &row);

private:
  Pooled<simdjson::dom::parser> parser_;
};

/// Makes room in `parser` for a document of `size` bytes, at least doubling its capacity when it
/// grows. Left alone, simdjson reallocates to the exact size of each new longest line, touching
/// fresh memory every time. False if the memory cannot be had (the parse then reports it).
bool reserve_document(simdjson::dom::parser &parser, std::size_t size);
bool reserve_document(simdjson::ondemand::parser &parser, std::size_t size);

/// `key == name`, testing the length and the first and last bytes before comparing the rest: a
/// row's keys are compared with every wanted name, and most differ in one of these.
inline bool same_key(std::string_view key, std::string_view name) {
  return key.size() == name.size() &&
         (name.empty() ||
          (key.front() == name.front() && key.back() == name.back() && key.compare(name) == 0));
}

/// Picks the top-level fields a loader needs; the last occurrence of a key wins. A picker of
/// row columns (`row_columns`) also reads the aliases of inputs.md section 4: a column the row
/// lacks is taken from `<C>_string`, else `<C>_dynamic` (the first present that is neither null
/// nor ""; D29), and a row without `TimeGenerated` takes `Timestamp` (D28).
template <std::size_t N> class FieldPicker {
public:
  explicit constexpr FieldPicker(const std::array<std::string_view, N> &names,
                                 bool row_columns = false)
      : names_(names), row_columns_(row_columns) {}

  /// `d.Name` for each name of a dynamic value: the last property of that name of an object;
  /// nothing for a missing key or when the value is not an object.
  std::array<std::optional<element>, N> pick(const std::optional<element> &dynamic) const {
    if (!dynamic || !dynamic->is_object()) {
      return {};
    }
    return pick(dynamic->get_object().value_unsafe());
  }

  /// One element per name; `std::nullopt` where the key (and, for row columns, its aliases) is
  /// absent.
  std::array<std::optional<element>, N> pick(simdjson::dom::object row) const {
    std::array<std::optional<element>, N> values{};
    std::array<std::optional<element>, N> as_string{};
    std::array<std::optional<element>, N> as_dynamic{};
    std::optional<element> timestamp;
    bool aliased = false;
    for (const auto field : row) {
      std::size_t i = 0;
      while (i < N && !same_key(field.key, names_[i])) {
        ++i;
      }
      if (i < N) {
        values[i] = field.value;
      } else if (row_columns_) {
        aliased |= pick_alias(field.key, field.value, as_string, as_dynamic, timestamp);
      }
    }
    if (aliased) {
      resolve_aliases(values, as_string, as_dynamic, timestamp);
    }
    return values;
  }

private:
  static constexpr std::string_view TIME_GENERATED = "TimeGenerated";
  static constexpr std::string_view TIMESTAMP = "Timestamp";

  static bool has_value(const std::optional<element> &value) {
    return value && !value->is_null() &&
           !(value->is_string() && value->get_string().value_unsafe().empty());
  }

  /// Records `key` when it is an alias of a wanted column; true if it is.
  bool pick_alias(std::string_view key, element value,
                  std::array<std::optional<element>, N> &as_string,
                  std::array<std::optional<element>, N> &as_dynamic,
                  std::optional<element> &timestamp) const {
    if (same_key(key, TIMESTAMP)) {
      timestamp = value;
      return true;
    }
    std::array<std::optional<element>, N> *slot = nullptr;
    if (key.ends_with("_string")) {
      slot = &as_string;
      key.remove_suffix(7);
    } else if (key.ends_with("_dynamic")) {
      slot = &as_dynamic;
      key.remove_suffix(8);
    } else {
      return false;
    }
    for (std::size_t i = 0; i < N; ++i) {
      if (same_key(key, names_[i])) {
        (*slot)[i] = value;
        return true;
      }
    }
    return false;
  }

  void resolve_aliases(std::array<std::optional<element>, N> &values,
                       const std::array<std::optional<element>, N> &as_string,
                       const std::array<std::optional<element>, N> &as_dynamic,
                       const std::optional<element> &timestamp) const {
    for (std::size_t i = 0; i < N; ++i) {
      if (values[i]) {
        continue;
      }
      if (has_value(as_string[i])) {
        values[i] = as_string[i];
      } else if (has_value(as_dynamic[i])) {
        values[i] = as_dynamic[i];
      } else if (timestamp && names_[i] == TIME_GENERATED) {
        values[i] = timestamp;
      }
    }
  }

  std::array<std::string_view, N> names_;
  bool row_columns_;
};

/// A string column's value: a missing key or null is "", a string its text, anything else its
/// compact JSON text. `scratch` holds the text when it is not a string of the document; the
/// result is valid until the next parse or use of `scratch`. Sets `unexpected_type` when the
/// value was neither a string, null nor missing.
std::string_view read_string(const std::optional<element> &value, std::string &scratch,
                             bool &unexpected_type);

/// `tostring(value)` of a dynamic value (null and missing give "").
std::string_view to_kusto_string(const std::optional<element> &value, std::string &scratch);

/// A datetime column's value: a string read by parse_datetime; anything else is null.
Datetime read_datetime(const std::optional<element> &value);

/// Resolves dynamic columns: a value given as a JSON string whose text is JSON is parsed (once);
/// a string whose text is not JSON stays that string. The result of `resolve` is valid until the
/// next call to `resolve` on the same reader.
class DynamicReader {
public:
  std::optional<element> resolve(const std::optional<element> &value);

private:
  Pooled<simdjson::dom::parser> parser_;
  std::vector<char> text_;
};

/// The JSON type of an element, for messages ("a number", "an array").
std::string_view describe_type(const element &value);

} // namespace usbexfil::json
