// What the four loaders share: a per-thread worker that owns a partial table, reads columns with
// warnings for unexpected types, and the function that runs the scan and merges the partials.
#pragma once

#include "load/json_values.hpp"
#include "load/line_scanner.hpp"
#include "load/records.hpp"
#include "usbexfil/table/source_tables.hpp"

#include <fmt/format.h>

#include <chrono>
#include <deque>
#include <memory>

namespace usbexfil {

/// Base of the loaders' workers: a row parser, a partial table and column readers.
template <class Table> class TableWorker : public LineWorker {
public:
  Table take() { return std::move(table_); }
  const TimeTally &times() const { return times_; }

protected:
  /// Parses a line in full and calls `on_row(simdjson::dom::object)` for each of its rows that
  /// belong to the table (records.hpp: a line may be a container of rows). Each row starts with
  /// the previous row's texts forgotten; malformed records are reported to `context`.
  template <class OnRow>
  void for_each_row(std::string_view line, LineContext &context, OnRow &&on_row) {
    records_.rows(line, context, [&](simdjson::dom::object row) {
      texts_used_ = 0;
      on_row(row);
    });
  }

  /// A string column, valid until the next row (not yet in the pool: rows that a filter drops
  /// must not grow it); warns on an unexpected type.
  std::string_view string_column(std::string_view name, const std::optional<json::element> &value,
                                 LineContext &context) {
    bool unexpected = false;
    const std::string_view text = json::read_string(value, next_text(), unexpected);
    if (unexpected) {
      context.warning(fmt::format("{} is {}, not a string; read as its JSON text", name,
                                  json::describe_type(*value)));
    }
    return text;
  }

  /// A `tostring(d.Key)` value, valid until the next row.
  std::string_view dynamic_string(const std::optional<json::element> &value) {
    return json::to_kusto_string(value, next_text());
  }

  /// A value of a row that is kept: stored in the partial table's pool.
  std::string_view keep(std::string_view text) { return table_.pool.intern(text); }

  /// A datetime column; warns when the value is present but not a readable datetime.
  Datetime datetime_column(std::string_view name, const std::optional<json::element> &value,
                           LineContext &context) {
    const Datetime time = json::read_datetime(value);
    if (!time.is_null() || !value || value->is_null()) {
      return time;
    }
    if (value->is_string()) {
      context.warning(fmt::format("{} \"{}\" is not a valid datetime; read as null", name,
                                  value->get_string().value_unsafe().substr(0, 64)));
    } else {
      context.warning(
          fmt::format("{} is {}, not a string; read as null", name, json::describe_type(*value)));
    }
    return time;
  }

  /// `window.contains(time)`, tallied for the summary (TimeTally).
  bool in_window(const TimeWindow &window, Datetime time) {
    times_.see(time);
    if (window.contains(time)) {
      return true;
    }
    ++times_.outside;
    return false;
  }

  RecordExpander records_;
  json::DynamicReader dynamic_;
  Table table_;

private:
  /// A scratch string for one value of the current row. The strings keep their capacity from row
  /// to row, so reading a row allocates nothing once they have grown.
  std::string &next_text() {
    if (texts_used_ == texts_.size()) {
      texts_.emplace_back(); // a deque: earlier strings do not move
    }
    return texts_[texts_used_++];
  }
  std::deque<std::string> texts_;
  std::size_t texts_used_ = 0;
  TimeTally times_;
};

/// Runs the scan of `table` with one worker per thread (made by `make()`) and merges their
/// tables.
template <class Table, class Make>
Table load_table(SourceTable table_id, const std::vector<ScanSource> &sources,
                 const ScanOptions &options, LoadStats &stats, Make make) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<TableWorker<Table>>> workers;
  std::vector<LineWorker *> pointers;
  for (unsigned i = 0; i < scan_threads(sources, options); ++i) {
    workers.push_back(make());
    pointers.push_back(workers.back().get());
  }
  stats = scan_sources(table_id, sources, options, pointers);
  stats.table = std::string(table_name(table_id));
  for (const auto &worker : workers) {
    stats.times.merge(worker->times());
  }
  Table table = workers.front()->take(); // the others are appended: one copy fewer
  for (std::size_t i = 1; i < workers.size(); ++i) {
    append_table(table, workers[i]->take());
  }
  stats.rows_kept = table.size();
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return table;
}

} // namespace usbexfil
