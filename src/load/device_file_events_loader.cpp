// DeviceFileEvents loader: the big table. With a filter, each line takes up to three looks:
//   1. raw bytes (RawPrefilter): no "FileCreated"/"FileRenamed" and no `\u` escape -> skipped;
//   2. On-Demand (QuickFields): ActionType, FileName and InitiatingProcessAccountUpn read
//      without a DOM; a row the filter does not admit is skipped;
//   3. the full DOM parse, which validates the line and reads every column.
// A row is admitted when its ActionType is FileCreated or FileRenamed, its FileName is in the
// file list (ASCII case folded, as `in~` compares) and its InitiatingProcessAccountUpn is a
// UserId of stage 3: no other copy group can join an alert.
#include "load/prefilter.hpp"
#include "load/quick_fields.hpp"
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
        users_(value_prefilter(filter ? filter->user_ids : nullptr)) {}

  void on_line(std::string_view line, LineContext &context) override {
    if (filter_ && !validate_all_ && !may_admit(line)) {
      return;
    }
    begin_row();
    simdjson::dom::object row;
    if (!parser_.parse(line, context, row)) {
      return;
    }
    const auto [time, action, file, folder, device, device_name, upn, process_folder, parent] =
        PICKER.pick(row);
    const std::string_view action_type = string_column(column::ACTION_TYPE, action, context);
    const std::string_view file_name = string_column(column::FILE_NAME, file, context);
    const std::string_view account_upn =
        string_column(column::INITIATING_PROCESS_ACCOUNT_UPN, upn, context);
    if (!admits(action_type, file_name, account_upn)) {
      return;
    }
    const Datetime time_generated = datetime_column(column::TIME_GENERATED, time, context);
    if (!window_.contains(time_generated)) {
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
  }

private:
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

  /// Looks 1 and 2: false only when the row certainly is not admitted.
  bool may_admit(std::string_view line) {
    const RawMatch raw = prefilter_.scan(line);
    if (raw != RawMatch::needle) {
      return raw == RawMatch::escape;
    }
    if (users_ && users_->scan(line) == RawMatch::none) {
      return false; // no alerted user's UPN in the line (which has no \u escape)
    }
    std::array<std::string_view, 3> values;
    return !quick_.read(line, values) || admits(values[0], values[1], values[2]);
  }

  static constexpr json::FieldPicker<9> PICKER{std::array{
      column::TIME_GENERATED, column::ACTION_TYPE, column::FILE_NAME, column::FOLDER_PATH,
      column::DEVICE_ID, column::DEVICE_NAME, column::INITIATING_PROCESS_ACCOUNT_UPN,
      column::INITIATING_PROCESS_FOLDER_PATH, column::INITIATING_PROCESS_PARENT_FILE_NAME}};
  TimeWindow window_;
  const DeviceFileEventsFilter *filter_;
  bool validate_all_;
  RawPrefilter prefilter_{{std::string(column::ACTION_FILE_CREATED),
                           std::string(column::ACTION_FILE_RENAMED)}};
  QuickFields<3> quick_{std::array{column::ACTION_TYPE, column::FILE_NAME,
                                   column::INITIATING_PROCESS_ACCOUNT_UPN}};
  std::optional<RawPrefilter> users_; ///< the UPNs of stage 3, when few enough
};

} // namespace

DeviceFileEventsTable load_device_file_events(const std::vector<std::string> &files,
                                              const TimeWindow &window,
                                              const DeviceFileEventsFilter *filter,
                                              const ScanOptions &options, LoadStats &stats) {
  stats.table = "DeviceFileEvents";
  return load_table<DeviceFileEventsTable>(files, options, stats, [&] {
    return std::make_unique<DeviceFileEventsWorker>(window, filter, options.validate_all_lines);
  });
}

} // namespace usbexfil
