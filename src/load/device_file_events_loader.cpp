// DeviceFileEvents loader: the big table. With a filter, a line is parsed in full only if the
// cheap looks (cheap_looks.hpp: raw "FileCreated"/"FileRenamed", raw UPNs, On-Demand) leave it
// possible that the filter admits the row.
// A row is admitted when its ActionType is FileCreated or FileRenamed, its FileName is in the
// file list (ASCII case folded, as `in~` compares) and its InitiatingProcessAccountUpn is a
// UserId of stage 3: no other copy group can join an alert.
#include "load/cheap_looks.hpp"
#include "load/table_loader.hpp"
#include "usbexfil/load/loaders.hpp"
#include "usbexfil/table/columns.hpp"

namespace usbexfil {
namespace {

class DeviceFileEventsWorker final : public TableWorker<DeviceFileEventsTable> {
public:
  DeviceFileEventsWorker(const TimeWindow &window, const DeviceFileEventsFilter *filter,
                         bool validate_all)
      : window_(window), filter_(filter), validate_all_(validate_all),
        looks_({std::string(column::ACTION_FILE_CREATED), std::string(column::ACTION_FILE_RENAMED)},
               {column::ACTION_TYPE, column::FILE_NAME, column::INITIATING_PROCESS_ACCOUNT_UPN},
               column::INITIATING_PROCESS_ACCOUNT_UPN, filter ? filter->user_ids : nullptr) {}

  const RawPrefilter *sieve() const override {
    return filter_ && !validate_all_ ? &looks_.raw() : nullptr;
  }

  void on_line(std::string_view line, LineContext &context) override {
    const auto admit = [&](const auto &f) { return admits(f[0], f[1], f[2]); };
    if (filter_ && !validate_all_ && context.place().keyed && !context.must_parse() &&
        !looks_.may_admit(line, admit)) {
      return;
    }
    for_each_row(line, context, [&](simdjson::dom::object row) { on_row(row, context); });
  }

private:
  void on_row(simdjson::dom::object row, LineContext &context) {
    const auto [time, action, file, folder, device, device_name, upn, process_folder, parent, size,
                sha256] = PICKER.pick(row);
    const std::string_view action_type = string_column(column::ACTION_TYPE, action, context);
    const std::string_view file_name = string_column(column::FILE_NAME, file, context);
    const std::string_view account_upn =
        string_column(column::INITIATING_PROCESS_ACCOUNT_UPN, upn, context);
    if (!admits(action_type, file_name, account_upn)) {
      return;
    }
    const Datetime time_generated = datetime_column(column::TIME_GENERATED, time, context);
    if (!in_window(window_, time_generated)) {
      return;
    }
    table_.time_generated.push_back(time_generated);
    table_.action_type.push_back(keep(action_type));
    table_.file_name.push_back(keep(file_name));
    table_.folder_path.push_back(keep(string_column(column::FOLDER_PATH, folder, context)));
    table_.device_id.push_back(keep(string_column(column::DEVICE_ID, device, context)));
    table_.device_name.push_back(keep(string_column(column::DEVICE_NAME, device_name, context)));
    table_.initiating_process_account_upn.push_back(keep(account_upn));
    table_.initiating_process_folder_path.push_back(
        keep(string_column(column::INITIATING_PROCESS_FOLDER_PATH, process_folder, context)));
    table_.initiating_process_parent_file_name.push_back(
        keep(string_column(column::INITIATING_PROCESS_PARENT_FILE_NAME, parent, context)));
    // For --enrich: read as tostring() gives them, without warnings (the rule never reads them).
    table_.file_size.push_back(keep(dynamic_string(size)));
    table_.sha256.push_back(keep(dynamic_string(sha256)));
  }

  /// The pushed-down filter (everything passes without one).
  bool admits(std::string_view action_type, std::string_view file_name,
              std::string_view account_upn) const {
    if (!filter_) {
      return true;
    }
    return (action_type == column::ACTION_FILE_CREATED ||
            action_type == column::ACTION_FILE_RENAMED) &&
           (!filter_->user_ids || filter_->user_ids->contains(account_upn)) &&
           (!filter_->file_list || filter_->file_list->contains(file_name));
  }

  static constexpr json::FieldPicker<11> PICKER{
      std::array{column::TIME_GENERATED, column::ACTION_TYPE, column::FILE_NAME,
                 column::FOLDER_PATH, column::DEVICE_ID, column::DEVICE_NAME,
                 column::INITIATING_PROCESS_ACCOUNT_UPN, column::INITIATING_PROCESS_FOLDER_PATH,
                 column::INITIATING_PROCESS_PARENT_FILE_NAME, column::FILE_SIZE, column::SHA256},
      true};
  TimeWindow window_;
  const DeviceFileEventsFilter *filter_;
  bool validate_all_;
  CheapLooks<3> looks_;
};

} // namespace

DeviceFileEventsTable load_device_file_events(const std::vector<ScanSource> &sources,
                                              const TimeWindow &window,
                                              const DeviceFileEventsFilter *filter,
                                              const ScanOptions &options, LoadStats &stats) {
  return load_table<DeviceFileEventsTable>(
      SourceTable::device_file_events, sources, options, stats, [&] {
        return std::make_unique<DeviceFileEventsWorker>(window, filter, options.validate_all_lines);
      });
}

DeviceFileEventsTable load_device_file_events(const std::vector<std::string> &files,
                                              const TimeWindow &window,
                                              const DeviceFileEventsFilter *filter,
                                              const ScanOptions &options, LoadStats &stats) {
  const PlacedFiles placed(files);
  return load_device_file_events(placed.sources, window, filter, options, stats);
}

} // namespace usbexfil
