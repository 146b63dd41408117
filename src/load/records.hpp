// From a record to rows (inputs.md D13, D22, D26): a record is one JSON text as the framing
// hands it over (a JSON line, a value of a sequence, an element of a document array given as
// `[element]`, a CSV row given as `[{...}]`). It is a row, or a container of rows: a Log
// Analytics query API response (`tables`, positional rows zipped with the column names), an
// advanced hunting / Graph response (`Schema`+`Results`, `schema`+`results`), an Event Hub body
// (`records`) or a Defender streaming envelope (`category` + `properties`).
//
// Rows go to the scan's table when the file was placed there (D26); otherwise each row names
// its table (D22) and rows of other tables are passed over; rows that name none are counted
// (D25). This is the only place that knows the shapes of containers: loaders see rows, and the
// framing sees JSON texts.
#pragma once

#include "load/json_values.hpp"
#include "load/line_scanner.hpp"
#include "load/pooled.hpp"

#include <simdjson.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace usbexfil {

/// Top-level keys that make an object a container of rows (D13), for the quick look to leave
/// such objects to the full parse.
bool is_container_key(std::string_view key);

/// The table a row names by its `Type` or `TableName` (D22), if one of the four.
std::optional<SourceTable> table_named_by_row(simdjson::dom::object row);

/// The table an envelope's `category` names (`AdvancedHunting-<Table>`, ASCII case-insensitive).
std::optional<SourceTable> table_named_by_category(std::string_view category);

/// Expands records into the rows of one table; one per worker thread.
class RecordExpander {
public:
  /// Parses the padded `line` and calls `on_row(simdjson::dom::object)` for each of its rows
  /// that belong to `context.place()`'s table. Malformed records and elements are reported to
  /// `context`.
  template <class OnRow> void rows(std::string_view line, LineContext &context, OnRow &&on_row) {
    context.parsed();
    simdjson::dom::element record;
    if (!parse(line, context, record)) {
      return;
    }
    const RecordPlace &place = context.place();
    on_row_ = [&](simdjson::dom::object row) { on_row(row); };
    if (record.is_array() && !place.arrays_are_documents) {
      context.error("not a JSON object (the line is an array)"); // D11
    } else if (record.is_array()) {
      document_array(record.get_array().value_unsafe(), place, context);
    } else {
      object(record.get_object().value_unsafe(), place, context, /*top_level=*/true);
    }
  }

private:
  enum class RowKind { top_level, in_container };
  bool parse(std::string_view line, LineContext &context, simdjson::dom::element &record);
  void document_array(simdjson::dom::array elements, const RecordPlace &place,
                      LineContext &context);
  void object(simdjson::dom::object record, const RecordPlace &place, LineContext &context,
              bool top_level);
  void query_api_tables(simdjson::dom::array tables, const RecordPlace &place,
                        LineContext &context);
  void envelope(simdjson::dom::object record, std::string_view category,
                simdjson::dom::object properties, const RecordPlace &place, LineContext &context);
  /// A row of a container, placed by its file or by its own Type / TableName.
  void contained_row(simdjson::dom::object row, const RecordPlace &place, LineContext &context);

  Pooled<simdjson::dom::parser> parser_;
  Pooled<simdjson::dom::parser> row_parser_; ///< rows built from positional values
  std::string row_text_;
  std::string widened_; ///< a line whose integers beyond 64 bits were made doubles
  std::function<void(simdjson::dom::object)> on_row_;
};

} // namespace usbexfil
