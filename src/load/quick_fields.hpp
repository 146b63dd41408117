// The second, cheaper look at a line that passed the raw pre-filter: simdjson On-Demand reads a
// few top-level string fields (the last occurrence of a key wins, as in the full parse) without
// building a DOM, so the pushed-down filters can reject most candidate lines before the full,
// validating parse. Anything unusual (a JSON error, a value that is not a string or null) makes
// `read` return false and the caller takes the full parse, which then decides and reports.
// Only used on lines without `\u` escapes (RawMatch::needle), so keys compare as raw bytes.
#pragma once

#include "load/json_values.hpp"
#include "load/pooled.hpp"

#include <simdjson.h>

#include <array>
#include <string_view>
#include <utility>

namespace usbexfil {

template <std::size_t N> class QuickFields {
public:
  /// Names must not contain `"` or `\`.
  explicit QuickFields(const std::array<std::string_view, N> &names) : names_(names) {}

  /// Reads the named fields of a padded line; missing or null reads as "". The views are valid
  /// until the next call.
  bool read(std::string_view line, std::array<std::string_view, N> &values) {
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
      const simdjson::ondemand::raw_json_string key = field.key();
      for (std::size_t i = 0; i < N; ++i) {
        if (key == names_[i]) {
          if (!read_value(field.value(), values[i])) {
            return false;
          }
          break;
        }
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
