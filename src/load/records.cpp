#include "load/records.hpp"

#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <optional>

#include <cstring>
#include <vector>

namespace usbexfil {

namespace dom = simdjson::dom;

bool is_container_key(std::string_view key) {
  return key == "tables" || key == "Schema" || key == "schema" || key == "Results" ||
         key == "results" || key == "records" || key == "properties";
}

namespace {

std::optional<SourceTable> table_of_exact_name(std::string_view name) {
  for (std::size_t t = 0; t < SOURCE_TABLE_COUNT; ++t) {
    if (name == table_name(static_cast<SourceTable>(t))) {
      return static_cast<SourceTable>(t);
    }
  }
  return std::nullopt;
}

std::optional<dom::element> member(dom::object object, std::string_view key) {
  std::optional<dom::element> found; // the last occurrence wins, as for every key
  for (const auto field : object) {
    if (field.key == key) {
      found = field.value;
    }
  }
  return found;
}

std::optional<dom::array> array_member(dom::object object, std::string_view key) {
  const auto value = member(object, key);
  if (!value || !value->is_array()) {
    return std::nullopt;
  }
  return value->get_array().value_unsafe();
}

} // namespace

std::optional<SourceTable> table_named_by_row(dom::object row) {
  std::optional<dom::element> type;
  std::optional<dom::element> table_name_field;
  for (const auto field : row) {
    if (field.key == "Type") {
      type = field.value;
    } else if (field.key == "TableName") {
      table_name_field = field.value;
    }
  }
  for (const auto &value : {type, table_name_field}) {
    if (value && value->is_string() && !value->get_string().value_unsafe().empty()) {
      return table_of_exact_name(value->get_string().value_unsafe());
    }
  }
  return std::nullopt;
}

std::optional<SourceTable> table_named_by_category(std::string_view category) {
  constexpr std::string_view PREFIX = "AdvancedHunting-";
  if (!ascii_istarts_with(category, PREFIX)) {
    return std::nullopt;
  }
  const std::string_view name = category.substr(PREFIX.size());
  for (std::size_t t = 0; t < SOURCE_TABLE_COUNT; ++t) {
    if (ascii_iequals(name, table_name(static_cast<SourceTable>(t)))) {
      return static_cast<SourceTable>(t);
    }
  }
  return std::nullopt;
}

namespace {

/// Whether the integer literal `digits` (no sign) is beyond what simdjson's DOM holds: above
/// 2^64 - 1, or above 2^63 for a negative one.
bool beyond_64_bits(std::string_view digits, bool negative) {
  const std::string_view limit = negative ? "9223372036854775808" : "18446744073709551615";
  while (digits.size() > 1 && digits.front() == '0') {
    digits.remove_prefix(1);
  }
  return digits.size() != limit.size() ? digits.size() > limit.size() : digits > limit;
}

/// `line` with `.0` after every integer literal beyond 64 bits (outside strings), so that the
/// DOM reads it as a double, as Kusto reads a number too large for a long as a real. Nothing
/// when there is none (the parse failed for another reason).
std::optional<std::string> widen_big_integers(std::string_view line) {
  std::string out;
  bool in_string = false;
  bool changed = false;
  for (std::size_t i = 0; i < line.size();) {
    const char c = line[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < line.size()) {
        out.push_back(line[i + 1]);
        i += 2;
        continue;
      }
      in_string = c != '"';
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = true;
      out.push_back(c);
      ++i;
      continue;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t start = i;
      const bool negative = c == '-';
      i += negative ? 1 : 0;
      const std::size_t digits_start = i;
      while (i < line.size() && line[i] >= '0' && line[i] <= '9') {
        ++i;
      }
      const std::string_view digits = line.substr(digits_start, i - digits_start);
      const bool integer = i >= line.size() || (line[i] != '.' && line[i] != 'e' && line[i] != 'E');
      out.append(line.substr(start, i - start));
      if (integer && !digits.empty() && beyond_64_bits(digits, negative)) {
        out += ".0";
        changed = true;
      }
      continue;
    }
    out.push_back(c);
    ++i;
  }
  if (!changed) {
    return std::nullopt;
  }
  return out;
}

} // namespace

bool RecordExpander::parse(std::string_view line, LineContext &context, dom::element &record) {
  json::reserve_document(*parser_, line.size());
  auto error = parser_->parse(line.data(), line.size(), false).get(record);
  if (error == simdjson::NUMBER_ERROR || error == simdjson::NUMBER_OUT_OF_RANGE) {
    // Valid JSON (RFC 8259 sets no limit on integers) that the DOM cannot hold: read such
    // integers as doubles rather than lose the row.
    if (auto widened = widen_big_integers(line)) {
      widened_ = std::move(*widened);
      json::reserve_document(*parser_, widened_.size());
      error = parser_->parse(widened_).get(record);
      if (!error) {
        context.warning("an integer beyond 64 bits is read as a floating-point number");
      }
    }
  }
  if (error) {
    context.error(fmt::format("not valid JSON: {}", simdjson::error_message(error)));
    return false;
  }
  if (!record.is_object() && !record.is_array()) {
    context.error(fmt::format("not a JSON object (the line is {})", json::describe_type(record)));
    return false;
  }
  return true;
}

void RecordExpander::document_array(dom::array elements, const RecordPlace &place,
                                    LineContext &context) {
  std::size_t count = 0;
  for (const dom::element element : elements) {
    ++count;
    if (!element.is_object()) {
      context.error(fmt::format("element {} of a document array is {}, not an object", count,
                                json::describe_type(element)));
      continue;
    }
    object(element.get_object().value_unsafe(), place, context, /*top_level=*/false);
  }
  context.add_rows(count);
}

void RecordExpander::object(dom::object record, const RecordPlace &place, LineContext &context,
                            bool top_level) {
  // D13, in order. Container keys are few; a plain row pays one pass over its keys.
  bool container = false;
  for (const auto field : record) {
    if (is_container_key(field.key)) {
      container = true;
      break;
    }
  }
  if (container) {
    if (const auto tables = array_member(record, "tables")) {
      return query_api_tables(*tables, place, context);
    }
    for (const auto &[schema, results] : {std::pair{"Schema", "Results"}, {"schema", "results"}}) {
      if (array_member(record, schema)) {
        if (const auto rows = array_member(record, results)) {
          std::size_t count = 0;
          for (const dom::element row : *rows) {
            ++count;
            if (row.is_object()) {
              contained_row(row.get_object().value_unsafe(), place, context);
            } else {
              context.error(fmt::format("element {} of {} is {}, not an object", count, results,
                                        json::describe_type(row)));
            }
          }
          return context.add_rows(count);
        }
      }
    }
    if (const auto records = array_member(record, "records")) {
      std::size_t count = 0;
      for (const dom::element element : *records) {
        ++count;
        if (!element.is_object()) {
          context.error(fmt::format("element {} of records is {}, not an object", count,
                                    json::describe_type(element)));
          continue;
        }
        const dom::object inner = element.get_object().value_unsafe();
        const auto category = member(inner, "category");
        const auto properties = member(inner, "properties");
        if (category && category->is_string() && properties && properties->is_object()) {
          envelope(inner, category->get_string().value_unsafe(),
                   properties->get_object().value_unsafe(), place, context);
        } else {
          contained_row(inner, place, context);
        }
      }
      return context.add_rows(count);
    }
    const auto category = member(record, "category");
    const auto properties = member(record, "properties");
    if (category && category->is_string() && properties && properties->is_object()) {
      return envelope(record, category->get_string().value_unsafe(),
                      properties->get_object().value_unsafe(), place, context);
    }
  }
  if (place.placed) {
    on_row_(record);
  } else if (!top_level) {
    contained_row(record, place, context);
  } else {
    context.unrouted(); // a top-level row of an unplaced file names no table (D22)
  }
}

void RecordExpander::envelope(dom::object, std::string_view category, dom::object properties,
                              const RecordPlace &place, LineContext &context) {
  if (place.placed) {
    on_row_(properties);
    return;
  }
  const auto table = table_named_by_category(category);
  if (!table) {
    context.unrouted();
  } else if (*table == place.table) {
    context.routed();
    on_row_(properties);
  }
}

void RecordExpander::contained_row(dom::object row, const RecordPlace &place,
                                   LineContext &context) {
  if (place.placed) {
    on_row_(row);
    return;
  }
  const auto table = table_named_by_row(row);
  if (!table) {
    context.unrouted();
  } else if (*table == place.table) {
    context.routed();
    on_row_(row);
  }
}

void RecordExpander::query_api_tables(dom::array tables, const RecordPlace &place,
                                      LineContext &context) {
  std::size_t rows_seen = 0;
  std::size_t table_index = 0;
  for (const dom::element table : tables) {
    ++table_index;
    std::optional<dom::array> columns;
    std::optional<dom::array> rows;
    if (table.is_object()) {
      columns = array_member(table.get_object().value_unsafe(), "columns");
      rows = array_member(table.get_object().value_unsafe(), "rows");
    }
    std::vector<std::string_view> names;
    bool names_ok = columns.has_value();
    if (columns) {
      for (const dom::element column : *columns) {
        const auto name =
            column.is_object() ? member(column.get_object().value_unsafe(), "name") : std::nullopt;
        if (!name || !name->is_string()) {
          names_ok = false;
          break;
        }
        names.push_back(name->get_string().value_unsafe());
      }
    }
    if (!rows || !names_ok) {
      context.error(
          fmt::format("element {} of tables has no columns with names or no rows", table_index));
      continue;
    }
    std::size_t row_index = 0;
    for (const dom::element row : *rows) {
      ++row_index;
      ++rows_seen;
      const dom::array values = row.is_array() ? row.get_array().value_unsafe() : dom::array();
      if (!row.is_array() || values.size() != names.size()) {
        context.error(fmt::format("row {} of table {} is not an array of {} values", row_index,
                                  table_index, names.size()));
        continue;
      }
      // Zipped into a JSON object; a column name given twice: the later one wins, as a key
      // given twice does.
      row_text_.assign("{");
      std::size_t i = 0;
      for (const dom::element value : values) {
        if (i > 0) {
          row_text_ += ',';
        }
        append_json_string(row_text_, names[i++]);
        row_text_ += ':';
        row_text_ += simdjson::to_string(value);
      }
      row_text_ += '}';
      json::reserve_document(*row_parser_, row_text_.size());
      dom::element parsed;
      if (row_parser_->parse(row_text_).get(parsed) || !parsed.is_object()) {
        context.error(fmt::format("row {} of table {} cannot be read", row_index, table_index));
        continue;
      }
      contained_row(parsed.get_object().value_unsafe(), place, context);
    }
  }
  context.add_rows(rows_seen);
}

} // namespace usbexfil
