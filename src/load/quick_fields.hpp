// The second, cheaper look at a line that passed the raw pre-filter: simdjson On-Demand reads a
// few top-level string fields (the last occurrence of a key wins, as in the full parse) without
// building a DOM, so the pushed-down filters can reject most candidate lines before the full,
// validating parse. Anything unusual (a JSON error, a value that is not a string or null) makes
// `read` return false and the caller takes the full parse, which then decides and reports.
// Values are always unescaped. Keys are compared as raw bytes, or, for a line with `\u`
// escapes (where a key may be spelled `"\u0041ctionType"`), unescaped first.
#pragma once

#include "load/json_values.hpp"
#include "load/pooled.hpp"
#include "load/records.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <utility>

namespace usbexfil {

template <std::size_t N> class QuickFields {
public:
  /// Names must not contain `"` or `\`.
  explicit QuickFields(const std::array<std::string_view, N> &names) : names_(names) {}

  /// Reads the named fields of a padded line; missing or null reads as "". The views are valid
  /// until the next call. `unescape_keys`: the line may spell a key with `\u` escapes. False
  /// when the line is not a plain row this look can answer for: not an object, a container of
  /// rows (records.hpp), or a value of an unexpected type. A column the row lacks is read from
  /// its union aliases `<C>_string` / `<C>_dynamic` (inputs.md D29), as the full parse does.
  bool read(std::string_view line, std::array<std::string_view, N> &values,
            bool unescape_keys = false) {
    simdjson::ondemand::document document;
    simdjson::ondemand::object object;
    json::reserve_document(*parser_, line.size());
    if (parser_->iterate(line.data(), line.size(), line.size() + simdjson::SIMDJSON_PADDING)
            .get(document) ||
        document.get_object().get(object)) {
      return false;
    }
    values.fill({});
    std::array<bool, N> present{};
    std::array<std::string_view, N> as_string{};
    std::array<std::string_view, N> as_dynamic{};
    for (auto result : object) {
      simdjson::ondemand::field field;
      if (std::move(result).get(field)) {
        return false;
      }
      std::string_view key;
      if (unescape_keys) {
        if (field.unescaped_key().get(key)) {
          return false;
        }
      } else {
        // Our names hold no quote or backslash, so the raw key up to the first quote equals a
        // name only if the key is that name.
        const char *raw = field.key().raw();
        key = std::string_view(raw, static_cast<std::size_t>(std::strchr(raw, '"') - raw));
      }
      if (is_container_key(key)) {
        return false;
      }
      std::size_t i = index_of(key);
      if (i < N) {
        if (!read_value(field.value(), values[i])) {
          return false;
        }
        present[i] = true;
        continue;
      }
      const bool dynamic = key.ends_with("_dynamic");
      i = alias_index(key);
      if (i < N && !read_value(field.value(), dynamic ? as_dynamic[i] : as_string[i])) {
        return false;
      }
    }
    for (std::size_t i = 0; i < N; ++i) {
      if (!present[i]) {
        values[i] = !as_string[i].empty() ? as_string[i] : as_dynamic[i];
      }
    }
    return true;
  }

private:
  std::size_t index_of(std::string_view key) const {
    return static_cast<std::size_t>(
        std::find_if(names_.begin(), names_.end(),
                     [&](std::string_view name) { return json::same_key(key, name); }) -
        names_.begin());
  }
  /// The wanted column `key` is an alias of (`<C>_string`, `<C>_dynamic`), or N.
  std::size_t alias_index(std::string_view key) const {
    if (key.ends_with("_string")) {
      return index_of(key.substr(0, key.size() - 7));
    }
    if (key.ends_with("_dynamic")) {
      return index_of(key.substr(0, key.size() - 8));
    }
    return N;
  }

  static bool read_value(simdjson::ondemand::value value, std::string_view &out) {
    simdjson::ondemand::json_type type;
    if (value.type().get(type)) {
      return false;
    }
    if (type == simdjson::ondemand::json_type::null) {
      out = {};
      return value.is_null().value_unsafe();
    }
    return type == simdjson::ondemand::json_type::string && !value.get_string().get(out);
  }

  std::array<std::string_view, N> names_;
  Pooled<simdjson::ondemand::parser> parser_;
};

} // namespace usbexfil
