#include "usbexfil/inspect.hpp"

#include "load/json_values.hpp"
#include "load/line_scanner.hpp"
#include "load/records.hpp"
#include "usbexfil/table/columns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

namespace usbexfil {
namespace {

/// The columns the rule reads from each table (TimeGenerated first), as the loaders pick them.
constexpr std::array SECURITY_ALERT_COLUMNS{column::TIME_GENERATED, column::ALERT_NAME,
                                            column::STATUS, column::ENTITIES};
constexpr std::array CLOUD_APP_EVENTS_COLUMNS{
    column::TIME_GENERATED, column::ACTION_TYPE, column::APPLICATION,  column::ACCOUNT_OBJECT_ID,
    column::IP_ADDRESS,     column::CITY,        column::COUNTRY_CODE, column::RAW_EVENT_DATA};
constexpr std::array DEVICE_FILE_EVENTS_COLUMNS{column::TIME_GENERATED,
                                                column::ACTION_TYPE,
                                                column::FILE_NAME,
                                                column::FOLDER_PATH,
                                                column::DEVICE_ID,
                                                column::DEVICE_NAME,
                                                column::INITIATING_PROCESS_ACCOUNT_UPN,
                                                column::INITIATING_PROCESS_FOLDER_PATH,
                                                column::INITIATING_PROCESS_PARENT_FILE_NAME};
constexpr std::array DEVICE_EVENTS_COLUMNS{column::TIME_GENERATED, column::ACTION_TYPE,
                                           column::DEVICE_ID, column::ADDITIONAL_FIELDS};

/// Counts rows, columns and the time range per file; one per thread.
template <std::size_t N> class InspectWorker final : public LineWorker {
public:
  InspectWorker(SourceTable table, const std::array<std::string_view, N> &names)
      : table_(table), names_(names), picker_(names, true) {}

  void on_line(std::string_view line, LineContext &context) override {
    records_.rows(line, context, [&](simdjson::dom::object row) { count(row, context.file()); });
  }

  /// Adds this worker's counts to `uses` (per file index).
  void merge_into(std::map<std::size_t, TableUse> &uses) const {
    for (const auto &[file, mine] : uses_) {
      auto [it, fresh] = uses.try_emplace(file, mine);
      if (fresh) {
        continue;
      }
      TableUse &use = it->second;
      use.rows += mine.rows;
      for (std::size_t i = 0; i < N; ++i) {
        use.columns[i].present += mine.columns[i].present;
        use.columns[i].nonempty += mine.columns[i].nonempty;
      }
      widen(use, mine.first);
      widen(use, mine.last);
    }
  }

private:
  static void widen(TableUse &use, Datetime time) {
    if (time.is_null()) {
      return;
    }
    if (use.first.is_null() || time < use.first) {
      use.first = time;
    }
    if (use.last.is_null() || use.last < time) {
      use.last = time;
    }
  }

  void count(simdjson::dom::object row, std::size_t file) {
    auto [it, fresh] = uses_.try_emplace(file);
    TableUse &use = it->second;
    if (fresh) {
      use.table = table_;
      for (const std::string_view name : names_) {
        use.columns.push_back(ColumnUse{std::string(name), 0, 0});
      }
    }
    ++use.rows;
    const auto values = picker_.pick(row);
    for (std::size_t i = 0; i < N; ++i) {
      const auto &value = values[i];
      if (!value) {
        continue;
      }
      ++use.columns[i].present;
      const bool empty =
          value->is_null() || (value->is_string() && value->get_string().value_unsafe().empty());
      use.columns[i].nonempty += empty ? 0 : 1;
    }
    widen(use, json::read_datetime(values[0]));
  }

  SourceTable table_;
  std::array<std::string_view, N> names_;
  json::FieldPicker<N> picker_;
  RecordExpander records_;
  std::map<std::size_t, TableUse> uses_;
};

/// Scans one table with inspecting workers; returns its stats and the counts per file index.
template <std::size_t N>
std::pair<LoadStats, std::map<std::size_t, TableUse>>
inspect_table(SourceTable table, const std::array<std::string_view, N> &names,
              const std::vector<ScanSource> &sources, const ScanOptions &options) {
  std::vector<std::unique_ptr<InspectWorker<N>>> workers;
  std::vector<LineWorker *> pointers;
  for (unsigned i = 0; i < scan_threads(sources, options); ++i) {
    workers.push_back(std::make_unique<InspectWorker<N>>(table, names));
    pointers.push_back(workers.back().get());
  }
  LoadStats stats = scan_sources(table, sources, options, pointers);
  std::map<std::size_t, TableUse> uses;
  for (const auto &worker : workers) {
    worker->merge_into(uses);
  }
  return {std::move(stats), std::move(uses)};
}

std::string placement_of(const InputFile *file, const FileReport &report, SourceTable table) {
  if (file != nullptr && file->table && file->label == report.label) {
    return fmt::format("{} (by {})", table_name(*file->table), placed_by_name(file->placed_by));
  }
  if (report.placed) {
    return fmt::format("{} (by the archive's or the member's name or folder)", table_name(table));
  }
  return "its records name their table";
}

} // namespace

Inspection inspect_inputs(const Inputs &inputs, const ScanOptions &options) {
  ScanOptions scan = options;
  scan.strict = false;
  scan.validate_all_lines = true;
  Inspection inspection;
  std::map<std::string, std::size_t> by_label; // label -> index in inspection.files
  std::map<std::string, const InputFile *> inputs_by_label;
  for (const InputFile &file : inputs.files) {
    inputs_by_label[file.label] = &file;
  }
  for (std::size_t t = 0; t < SOURCE_TABLE_COUNT; ++t) {
    const auto table = static_cast<SourceTable>(t);
    const std::vector<ScanSource> sources = sources_for_table(inputs, table, t == 0);
    auto [stats, uses] = [&] {
      switch (table) {
      case SourceTable::security_alert:
        return inspect_table(table, SECURITY_ALERT_COLUMNS, sources, scan);
      case SourceTable::cloud_app_events:
        return inspect_table(table, CLOUD_APP_EVENTS_COLUMNS, sources, scan);
      case SourceTable::device_file_events:
        return inspect_table(table, DEVICE_FILE_EVENTS_COLUMNS, sources, scan);
      case SourceTable::device_events:
        break;
      }
      return inspect_table(table, DEVICE_EVENTS_COLUMNS, sources, scan);
    }();
    for (std::string &note : stats.notes) {
      inspection.warnings.push_back(std::move(note));
    }
    for (std::size_t i = 0; i < stats.file_reports.size(); ++i) {
      const FileReport &report = stats.file_reports[i];
      const auto known = inputs_by_label.find(report.label);
      const InputFile *file = known == inputs_by_label.end() ? nullptr : known->second;
      auto [at, fresh] = by_label.try_emplace(report.label, inspection.files.size());
      if (fresh) {
        inspection.files.push_back(InspectedFile{report, placement_of(file, report, table), {}});
      } else if (report.placed) {
        // The scan that the file belongs to describes it best (its errors, its counts).
        InspectedFile &known_file = inspection.files[at->second];
        known_file.report = report;
        known_file.placement = placement_of(file, report, table);
      }
      if (const auto use = uses.find(i); use != uses.end()) {
        inspection.files[at->second].tables.push_back(use->second);
      }
    }
  }
  std::stable_sort(inspection.files.begin(), inspection.files.end(),
                   [](const InspectedFile &a, const InspectedFile &b) {
                     return a.report.label < b.report.label;
                   });
  return inspection;
}

} // namespace usbexfil
