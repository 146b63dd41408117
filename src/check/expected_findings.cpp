#include "usbexfil/check/expected_findings.hpp"

#include "load/byte_stream.hpp"
#include "load/record_stream.hpp"
#include "usbexfil/datetime.hpp"
#include "usbexfil/error.hpp"
#include "usbexfil/output/json_lines_writer.hpp"
#include "usbexfil/text.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <limits>
#include <optional>

namespace usbexfil {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

/// The rule's columns (findings.md), in their order.
constexpr std::array<std::string_view, 17> COLUMNS{"Alert_TimeGenerated",
                                                   "USB_TimeGenerated",
                                                   "UserId",
                                                   "AADUserId",
                                                   "DeviceId",
                                                   "DeviceName",
                                                   "IPAddress",
                                                   "CloudAppEvents_Details",
                                                   "DeviceFileEvents_Details",
                                                   "USB_Details",
                                                   "USB_Drive_MatchedFiles",
                                                   "InitiatingProcessFileName",
                                                   "InitiatingProcessFolderPath",
                                                   "HostName",
                                                   "HostNameDomain",
                                                   "AccountName",
                                                   "AccountUPNSuffix"};

/// What a column (or a bag's key) holds, for its canonical form.
enum class Kind { text, datetime, set, count, bag };

Kind kind_of(std::string_view key) {
  constexpr std::array<std::string_view, 6> DATETIMES{
      "Alert_TimeGenerated",   "USB_TimeGenerated",         "CloudAppEvent_StartTime",
      "CloudAppEvent_EndTime", "DeviceFileEvent_StartTime", "DeviceFileEvent_EndTime"};
  constexpr std::array<std::string_view, 3> SETS{"USB_Drive_MatchedFiles", "CloudAppEvent_Files",
                                                 "DeviceFileEvent_Files"};
  constexpr std::array<std::string_view, 2> COUNTS{"FileCount", "DeviceFileEvent_FileCount"};
  constexpr std::array<std::string_view, 3> BAGS{"CloudAppEvents_Details",
                                                 "DeviceFileEvents_Details", "USB_Details"};
  const auto in = [&](const auto &names) {
    return std::find(names.begin(), names.end(), key) != names.end();
  };
  return in(DATETIMES) ? Kind::datetime
         : in(SETS)    ? Kind::set
         : in(COUNTS)  ? Kind::count
         : in(BAGS)    ? Kind::bag
                       : Kind::text;
}

std::string json_quoted(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

/// Parses JSON text held in a string value (Sentinel's tostring() of a bag or a set).
std::optional<element> parse_text(simdjson::dom::parser &parser, std::string_view text) {
  element value;
  if (parser.parse(text.data(), text.size(), true).get(value)) {
    return std::nullopt;
  }
  return value;
}

/// Canonical forms (a JSON text each). Datetimes as findings.md writes them (a null or empty one
/// as null); sets sorted, each value once; counts as integers; other values as their JSON, a null
/// string as "".
class Canonical {
public:
  void add_column(std::string_view key, element value, ComparableFinding &finding) {
    const Kind kind = kind_of(key);
    if (kind != Kind::bag) {
      finding.columns.emplace(std::string(key), scalar(kind, value));
      return;
    }
    std::optional<element> bag = value;
    if (value.is_string()) {
      bag = parse_text(bag_parser_, value.get_string().value_unsafe());
    }
    if (!bag || !bag->is_object()) {
      finding.columns.emplace(std::string(key), simdjson::minify(value));
      return;
    }
    const simdjson::dom::object fields = bag->get_object().value_unsafe();
    for (const auto field : fields) {
      finding.columns.emplace(fmt::format("{}.{}", key, field.key),
                              scalar(kind_of(field.key), field.value));
    }
  }

private:
  std::string scalar(Kind kind, element value) {
    switch (kind) {
    case Kind::datetime:
      if (value.is_null() || (value.is_string() && value.get_string().value_unsafe().empty())) {
        return "null";
      }
      if (value.is_string()) {
        const std::string_view text = value.get_string().value_unsafe();
        const Datetime time = parse_datetime(text);
        return time.is_null() ? json_quoted(text) : json_quoted(format_datetime(time));
      }
      break;
    case Kind::set:
      return set(value);
    case Kind::count:
      if (value.is_int64() || value.is_uint64()) {
        return simdjson::minify(value);
      }
      if (value.is_double()) {
        const double number = value.get_double().value_unsafe();
        if (number == static_cast<double>(static_cast<std::int64_t>(number))) {
          return fmt::format("{}", static_cast<std::int64_t>(number));
        }
      }
      if (value.is_string()) {
        const std::string_view text = value.get_string().value_unsafe();
        if (!text.empty() && text.size() < 19 &&
            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
          return std::to_string(std::stoll(std::string(text)));
        }
      }
      break;
    case Kind::text:
    case Kind::bag:
      if (value.is_null()) {
        return "\"\"";
      }
      break;
    }
    return simdjson::minify(value);
  }

  std::string set(element value) {
    std::optional<element> array = value;
    if (value.is_string()) {
      array = parse_text(set_parser_, value.get_string().value_unsafe());
    } else if (value.is_null()) {
      return "[]";
    }
    if (!array || !array->is_array()) {
      return simdjson::minify(value);
    }
    std::vector<std::string> items;
    const simdjson::dom::array elements = array->get_array().value_unsafe();
    for (const element item : elements) {
      items.push_back(simdjson::minify(item));
    }
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
      out += (i > 0 ? "," : "") + items[i];
    }
    return out + "]";
  }

  simdjson::dom::parser bag_parser_;
  simdjson::dom::parser set_parser_;
};

/// The finding that one JSON object spells, or nothing when the object is not one.
std::optional<ComparableFinding> finding_of(simdjson::dom::object row, Canonical &canonical,
                                            std::uint64_t line) {
  element alert_time;
  if (row.at_key("Alert_TimeGenerated").get(alert_time)) {
    return std::nullopt;
  }
  ComparableFinding finding;
  finding.line = line;
  for (const std::string_view key : COLUMNS) {
    element value;
    if (!row.at_key(key).get(value)) {
      canonical.add_column(key, value, finding);
    }
  }
  return finding;
}

/// Reads the records of the expected file as findings.
class ExpectedReader {
public:
  explicit ExpectedReader(std::string path) : path_(std::move(path)) {}

  std::vector<ComparableFinding> read() {
    OpenedContent content = open_content(open_file_stream(path_, path_));
    if (content.kind != ContentKind::text) {
      throw Error(fmt::format("{}: {} is not a findings file", path_,
                              content.kind == ContentKind::unsupported ? content.unsupported
                                                                       : "an archive"));
    }
    RecordFramer framer(std::move(content.stream), std::size_t{256} << 20);
    RecordBatch batch;
    std::uint64_t next_line = 1; // passed-through text: the line its batch starts at
    bool more = true;
    while (more) {
      more = framer.next(batch, std::size_t{1} << 20);
      if (!batch.errors.empty()) {
        fail(batch.errors.front().first, batch.errors.front().second);
      }
      if (!batch.relative_errors.empty()) {
        fail(next_line + batch.relative_errors.front().first, batch.relative_errors.front().second);
      }
      std::string_view text(batch.text.data(), batch.text.size);
      std::size_t index = 0;
      while (!text.empty()) {
        const std::size_t end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        const std::uint64_t number =
            batch.line_numbers.empty() ? next_line + index : batch.line_numbers[index];
        ++index;
        if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
          record(line, number);
        }
      }
      if (batch.line_numbers.empty()) {
        next_line += index + batch.skipped_lines;
      }
    }
    return std::move(findings_);
  }

private:
  [[noreturn]] void fail(std::uint64_t line, std::string_view message) const {
    throw Error(line == 0 ? fmt::format("{}: {}", path_, message)
                          : fmt::format("{}:{}: {}", path_, line, message));
  }

  void record(std::string_view line, std::uint64_t number) {
    element value;
    if (const auto error = parser_.parse(line.data(), line.size(), true).get(value)) {
      fail(number, fmt::format("not valid JSON ({})", simdjson::error_message(error)));
    }
    value_of(value, number, /*top_level=*/true);
  }

  /// A finding, an array of them (a document array, a CSV row), or a query API response.
  void value_of(element value, std::uint64_t number, bool top_level) {
    if (value.is_array()) {
      const simdjson::dom::array items = value.get_array().value_unsafe();
      for (const element item : items) {
        value_of(item, number, false);
      }
      return;
    }
    if (!value.is_object()) {
      fail(number, "not a finding (not a JSON object)");
    }
    const simdjson::dom::object object = value.get_object().value_unsafe();
    if (auto finding = finding_of(object, canonical_, number)) {
      findings_.push_back(std::move(*finding));
      return;
    }
    simdjson::dom::array tables;
    if (top_level && !object.at_key("tables").get(tables)) {
      query_api(tables, number);
      return;
    }
    simdjson::dom::array results;
    if (top_level &&
        (!object.at_key("Results").get(results) || !object.at_key("results").get(results))) {
      for (const element row : results) {
        value_of(row, number, false);
      }
      return;
    }
    fail(number, "not a finding (no Alert_TimeGenerated)");
  }

  /// A Log Analytics query API response: positional rows zipped with the column names.
  void query_api(simdjson::dom::array tables, std::uint64_t number) {
    for (const element table : tables) {
      simdjson::dom::array columns;
      simdjson::dom::array rows;
      if (table.at_key("columns").get(columns) || table.at_key("rows").get(rows)) {
        fail(number, "a query API table without columns and rows");
      }
      std::vector<std::string> names;
      for (const element column : columns) {
        std::string_view name;
        if (column.at_key("name").get(name)) {
          fail(number, "a query API column without a name");
        }
        names.emplace_back(name);
      }
      for (const element row : rows) {
        simdjson::dom::array cells;
        if (row.get(cells)) {
          fail(number, "a query API row that is not an array");
        }
        std::string text = "{";
        std::size_t i = 0;
        for (const element cell : cells) {
          if (i >= names.size()) {
            break;
          }
          text += (i > 0 ? "," : "") + json_quoted(names[i]) + ":" + simdjson::minify(cell);
          ++i;
        }
        text += "}";
        element zipped;
        if (row_parser_.parse(text).get(zipped)) {
          fail(number, "a query API row that cannot be read back");
        }
        value_of(zipped, number, false);
      }
    }
  }

  std::string path_;
  simdjson::dom::parser parser_;
  simdjson::dom::parser row_parser_;
  Canonical canonical_;
  std::vector<ComparableFinding> findings_;
};

std::string column_or(const ComparableFinding &finding, std::string_view key,
                      std::string_view absent = "(absent)") {
  const auto it = finding.columns.find(key);
  return it == finding.columns.end() ? std::string(absent) : it->second;
}

/// A canonical value for a person: a JSON string without its quotes and escapes.
std::string display(std::string_view text) {
  if (text.size() < 2 || text.front() != '"') {
    return std::string(text);
  }
  simdjson::dom::parser parser;
  std::string_view value;
  if (parser.parse(text.data(), text.size(), true).get(value)) {
    return std::string(text);
  }
  return std::string(value);
}

std::vector<std::string> set_items(std::string_view text) {
  std::vector<std::string> items;
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(text.data(), text.size(), true).get(array)) {
    return items;
  }
  for (const element item : array) {
    items.push_back(simdjson::minify(item));
  }
  return items;
}

/// "expected 9, got 10", or for a set the values on one side only.
std::string difference(std::string_view key, const std::string &expected,
                       const std::string &actual) {
  const std::string_view name = key.substr(key.rfind('.') + 1);
  if (kind_of(name) == Kind::set && expected.starts_with('[') && actual.starts_with('[')) {
    const std::vector<std::string> want = set_items(expected);
    const std::vector<std::string> got = set_items(actual);
    std::vector<std::string> lacking;
    std::vector<std::string> extra;
    std::set_difference(want.begin(), want.end(), got.begin(), got.end(),
                        std::back_inserter(lacking));
    std::set_difference(got.begin(), got.end(), want.begin(), want.end(),
                        std::back_inserter(extra));
    std::string text;
    if (!lacking.empty()) {
      text = fmt::format("missing {}", fmt::join(lacking, ", "));
    }
    if (!extra.empty()) {
      text += fmt::format("{}unexpected {}", text.empty() ? "" : "; ", fmt::join(extra, ", "));
    }
    return text;
  }
  return fmt::format("expected {}, got {}", expected, actual);
}

std::string identity(const ComparableFinding &finding) {
  std::string key;
  for (const std::string_view column :
       {"Alert_TimeGenerated", "UserId", "IPAddress", "DeviceId", "USB_TimeGenerated"}) {
    key += column_or(finding, column);
    key += '\n';
  }
  return key;
}

std::vector<std::pair<std::string, std::string>> differences(const ComparableFinding &expected,
                                                             const ComparableFinding &actual) {
  std::vector<std::pair<std::string, std::string>> found;
  std::vector<std::string> keys;
  for (const auto &[key, value] : expected.columns) {
    keys.push_back(key);
  }
  for (const auto &[key, value] : actual.columns) {
    keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  // In the column order of findings.md, a bag's keys after its name.
  const auto rank = [](const std::string &key) {
    const std::string_view column = std::string_view(key).substr(0, key.find('.'));
    return std::find(COLUMNS.begin(), COLUMNS.end(), column) - COLUMNS.begin();
  };
  std::stable_sort(keys.begin(), keys.end(),
                   [&](const std::string &a, const std::string &b) { return rank(a) < rank(b); });
  for (const std::string &key : keys) {
    const std::string want = column_or(expected, key);
    const std::string got = column_or(actual, key);
    if (want != got) {
      found.emplace_back(key, difference(key, want, got));
    }
  }
  return found;
}

} // namespace

std::string ComparableFinding::text() const {
  std::string out;
  for (const auto &[key, value] : columns) {
    out += key;
    out += '=';
    out += value;
    out += '\n';
  }
  return out;
}

std::string ComparableFinding::describe() const {
  const std::string device = column_or(*this, "DeviceName", "\"\"");
  return fmt::format("alert {} for {} from {} on {} (USB {})",
                     display(column_or(*this, "Alert_TimeGenerated")),
                     display(column_or(*this, "UserId")), display(column_or(*this, "IPAddress")),
                     display(device == "\"\"" ? column_or(*this, "DeviceId") : device),
                     display(column_or(*this, "USB_TimeGenerated")));
}

std::vector<ComparableFinding> read_expected_findings(const std::string &path) {
  return ExpectedReader(path).read();
}

std::vector<ComparableFinding> comparable_findings(const FindingTable &findings) {
  std::string text;
  write_json_lines(findings, [&](std::string_view piece) { text.append(piece); });
  simdjson::dom::parser parser;
  Canonical canonical;
  std::vector<ComparableFinding> out;
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    simdjson::dom::object row;
    if (parser.parse(line.data(), line.size(), true).get(row)) {
      throw Error("internal error: a finding written as invalid JSON");
    }
    out.push_back(*finding_of(row, canonical, 0));
  }
  return out;
}

FindingsDiff diff_findings(std::vector<ComparableFinding> expected,
                           std::vector<ComparableFinding> actual) {
  FindingsDiff diff;
  // Equal rows, as a multiset.
  std::multimap<std::string, std::size_t> actual_rows;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    actual_rows.emplace(actual[i].text(), i);
  }
  std::vector<bool> actual_used(actual.size(), false);
  std::vector<std::size_t> expected_left;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto it = actual_rows.find(expected[i].text());
    if (it != actual_rows.end()) {
      actual_used[it->second] = true;
      actual_rows.erase(it);
      ++diff.equal;
    } else {
      expected_left.push_back(i);
    }
  }
  // The same finding changed: same identity, fewest differing columns.
  std::multimap<std::string, std::size_t> actual_by_identity;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (!actual_used[i]) {
      actual_by_identity.emplace(identity(actual[i]), i);
    }
  }
  for (const std::size_t e : expected_left) {
    auto [first, last] = actual_by_identity.equal_range(identity(expected[e]));
    auto best = last;
    std::vector<std::pair<std::string, std::string>> best_differences;
    for (auto it = first; it != last; ++it) {
      auto found = differences(expected[e], actual[it->second]);
      if (best == last || found.size() < best_differences.size()) {
        best = it;
        best_differences = std::move(found);
      }
    }
    if (best == last) {
      diff.missing.push_back(std::move(expected[e]));
      continue;
    }
    actual_used[best->second] = true;
    diff.changed.push_back(ChangedFinding{std::move(expected[e]), std::move(actual[best->second]),
                                          std::move(best_differences)});
    actual_by_identity.erase(best);
  }
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (!actual_used[i]) {
      diff.unexpected.push_back(std::move(actual[i]));
    }
  }
  return diff;
}

std::vector<std::string> format_diff(const FindingsDiff &diff, std::string_view expected_label,
                                     std::size_t max_shown) {
  std::vector<std::string> lines;
  if (diff.same()) {
    lines.push_back(fmt::format("findings match {} ({} finding{})", expected_label, diff.equal,
                                diff.equal == 1 ? "" : "s"));
    return lines;
  }
  lines.push_back(fmt::format("findings differ from {}: {} missing, {} unexpected, {} changed, {} "
                              "equal",
                              expected_label, diff.missing.size(), diff.unexpected.size(),
                              diff.changed.size(), diff.equal));
  const auto where = [&](const ComparableFinding &finding) {
    return finding.line == 0 ? std::string()
                             : fmt::format(" ({}:{})", expected_label, finding.line);
  };
  const auto more = [&](std::size_t count, std::string_view what) {
    if (count > max_shown) {
      lines.push_back(fmt::format("  ... and {} more {}", count - max_shown, what));
    }
  };
  for (std::size_t i = 0; i < diff.missing.size() && i < max_shown; ++i) {
    lines.push_back(
        fmt::format("  missing: {}{}", diff.missing[i].describe(), where(diff.missing[i])));
  }
  more(diff.missing.size(), "missing");
  for (std::size_t i = 0; i < diff.unexpected.size() && i < max_shown; ++i) {
    lines.push_back(fmt::format("  unexpected: {}", diff.unexpected[i].describe()));
  }
  more(diff.unexpected.size(), "unexpected");
  for (std::size_t i = 0; i < diff.changed.size() && i < max_shown; ++i) {
    const ChangedFinding &changed = diff.changed[i];
    lines.push_back(
        fmt::format("  changed: {}{}", changed.expected.describe(), where(changed.expected)));
    for (const auto &[column, account] : changed.differences) {
      lines.push_back(fmt::format("    {}: {}", column, account));
    }
  }
  more(diff.changed.size(), "changed");
  return lines;
}

} // namespace usbexfil
