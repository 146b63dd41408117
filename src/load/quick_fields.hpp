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

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

namespace usbexfil {

template <std::size_t N> class QuickFields {
public:
  /// Names must not contain `"` or `\`.
  explicit QuickFields(const std::array<std::string_view, N> &names) : names_(names) {}

  /// Reads the named fields of a padded line; missing or null reads as "". The views are valid
  /// until the next call. `unescape_keys`: the line may spell a key with `\u` escapes.
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
    for (auto result : object) {
      simdjson::ondemand::field field;
      if (std::move(result).get(field)) {
        return false;
      }
      std::size_t i = N;
      if (unescape_keys) {
        std::string_view key;
        if (field.unescaped_key().get(key)) {
          return false;
        }
        i = static_cast<std::size_t>(
            std::find_if(names_.begin(), names_.end(),
                         [&](std::string_view name) { return json::same_key(key, name); }) -
            names_.begin());
      } else {
        const simdjson::ondemand::raw_json_string key = field.key();
        i = static_cast<std::size_t>(std::find_if(names_.begin(), names_.end(),
                                                  [&](std::string_view name) {
                                                    // The first byte first: most keys differ there
                                                    // (names are not empty).
                                                    return *key.raw() == name.front() &&
                                                           key == name;
                                                  }) -
                                     names_.begin());
      }
      if (i < N && !read_value(field.value(), values[i])) {
        return false;
      }
    }
    return true;
  }

private:
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
