#include "load/json_values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace usbexfil::json {

std::string_view describe_type(const element &value) {
  switch (value.type()) {
  case simdjson::dom::element_type::ARRAY:
    return "an array";
  case simdjson::dom::element_type::OBJECT:
    return "an object";
  case simdjson::dom::element_type::INT64:
  case simdjson::dom::element_type::UINT64:
  case simdjson::dom::element_type::DOUBLE:
    return "a number";
  case simdjson::dom::element_type::STRING:
    return "a string";
  case simdjson::dom::element_type::BOOL:
    return "a boolean";
  case simdjson::dom::element_type::NULL_VALUE:
    return "null";
  }
  return "a value";
}

namespace {

/// The first capacity a parser gets: most rows are a few kilobytes.
constexpr std::size_t FIRST_CAPACITY = std::size_t{16} * 1024;

std::size_t grown_capacity(std::size_t capacity, std::size_t size) {
  return std::max({size, 2 * capacity, FIRST_CAPACITY});
}

} // namespace

bool reserve_document(simdjson::dom::parser &parser, std::size_t size) {
  if (size <= parser.capacity() && size <= parser.doc.capacity()) {
    return true;
  }
  // The parser's own buffers and its document (the tape) grow together, as in
  // parser::ensure_capacity.
  const std::size_t capacity = grown_capacity(parser.capacity(), size);
  return parser.allocate(capacity, parser.max_depth()) == simdjson::SUCCESS &&
         parser.doc.allocate(capacity) == simdjson::SUCCESS;
}

bool reserve_document(simdjson::ondemand::parser &parser, std::size_t size) {
  if (size <= parser.capacity()) {
    return true;
  }
  return parser.allocate(grown_capacity(parser.capacity(), size), parser.max_depth()) ==
         simdjson::SUCCESS;
}

bool RowParser::parse(std::string_view padded_line, LineContext &context,
                      simdjson::dom::object &row) {
  element document;
  reserve_document(*parser_, padded_line.size());
  const auto error = parser_->parse(padded_line.data(), padded_line.size(), false).get(document);
  if (error) {
    context.error(fmt::format("not valid JSON: {}", simdjson::error_message(error)));
    return false;
  }
  if (document.get_object().get(row)) {
    context.error(fmt::format("not a JSON object (the line is {})", describe_type(document)));
    return false;
  }
  return true;
}

std::string_view to_kusto_string(const std::optional<element> &value, std::string &scratch) {
  if (!value || value->is_null()) {
    return {};
  }
  if (value->is_string()) {
    return value->get_string().value_unsafe();
  }
  scratch = simdjson::to_string(*value);
  return scratch;
}

std::string_view read_string(const std::optional<element> &value, std::string &scratch,
                             bool &unexpected_type) {
  unexpected_type = value && !value->is_null() && !value->is_string();
  return to_kusto_string(value, scratch);
}

Datetime read_datetime(const std::optional<element> &value) {
  if (!value || !value->is_string()) {
    return Datetime::null();
  }
  return parse_datetime(value->get_string().value_unsafe());
}

std::optional<element> DynamicReader::resolve(const std::optional<element> &value) {
  if (!value || !value->is_string()) {
    return value;
  }
  const std::string_view text = value->get_string().value_unsafe();
  text_.resize(text.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(text_.data(), text.data(), text.size());
  element parsed;
  reserve_document(*parser_, text.size());
  if (parser_->parse(text_.data(), text.size(), false).get(parsed)) {
    return value; // not JSON text: the dynamic is the string itself
  }
  return parsed;
}

} // namespace usbexfil::json
