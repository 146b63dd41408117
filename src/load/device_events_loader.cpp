// DeviceEvents loader. With a filter, a line is parsed in full only if the cheap looks
// (cheap_looks.hpp) leave it possible that it is a mount on a device that still has an alerted
// copy group.
// AdditionalFields is read as a dynamic (JSON or JSON text) and projected to tostring() of
// DriveLetter, ProductName and Volume; a mount without a drive letter is dropped.
#include "load/cheap_looks.hpp"
#include "load/table_loader.hpp"
#include "usbexfil/load/loaders.hpp"
#include "usbexfil/table/columns.hpp"

namespace usbexfil {
namespace {

class DeviceEventsWorker final : public TableWorker<DeviceEventsTable> {
public:
  DeviceEventsWorker(const TimeWindow &window, const DeviceEventsFilter *filter, bool validate_all)
      : window_(window), filter_(filter), validate_all_(validate_all),
        looks_({std::string(column::ACTION_USB_DRIVE_MOUNTED)},
               {column::ACTION_TYPE, column::DEVICE_ID}, column::DEVICE_ID,
               filter ? filter->device_ids : nullptr) {}

  const RawPrefilter *sieve() const override {
    return filter_ && !validate_all_ ? &looks_.raw() : nullptr;
  }

  void on_line(std::string_view line, LineContext &context) override {
    const auto admit = [&](const auto &f) { return admits(f[0], f[1]); };
    if (filter_ && !validate_all_ && context.place().keyed && !context.must_parse() &&
        !looks_.may_admit(line, admit)) {
      return;
    }
    for_each_row(line, context, [&](simdjson::dom::object row) { on_row(row, context); });
  }

private:
  void on_row(simdjson::dom::object row, LineContext &context) {
    const auto [time, action, device, additional] = PICKER.pick(row);
    const std::string_view action_type = string_column(column::ACTION_TYPE, action, context);
    const std::string_view device_id = string_column(column::DEVICE_ID, device, context);
    if (!admits(action_type, device_id)) {
      return;
    }
    const Datetime time_generated = datetime_column(column::TIME_GENERATED, time, context);
    if (!in_window(window_, time_generated)) {
      return;
    }
    const auto [letter, product, volume, serial, manufacturer, revision, bus] =
        ADDITIONAL_FIELDS_PICKER.pick(dynamic_.resolve(additional));
    const std::string_view drive_letter = dynamic_string(letter);
    if (filter_ && drive_letter.empty()) {
      return;
    }
    table_.time_generated.push_back(time_generated);
    table_.action_type.push_back(keep(action_type));
    table_.device_id.push_back(keep(device_id));
    table_.drive_letter.push_back(keep(drive_letter));
    table_.product_name.push_back(keep(dynamic_string(product)));
    table_.volume.push_back(keep(dynamic_string(volume)));
    table_.serial_number.push_back(keep(dynamic_string(serial))); // the rest for --enrich
    table_.manufacturer.push_back(keep(dynamic_string(manufacturer)));
    table_.product_revision.push_back(keep(dynamic_string(revision)));
    table_.bus_type.push_back(keep(dynamic_string(bus)));
  }

  /// The pushed-down filter (everything passes without one).
  bool admits(std::string_view action_type, std::string_view device_id) const {
    if (!filter_) {
      return true;
    }
    return action_type == column::ACTION_USB_DRIVE_MOUNTED &&
           (!filter_->device_ids || filter_->device_ids->contains(device_id));
  }

  static constexpr json::FieldPicker<4> PICKER{std::array{column::TIME_GENERATED,
                                                          column::ACTION_TYPE, column::DEVICE_ID,
                                                          column::ADDITIONAL_FIELDS},
                                               true};
  static constexpr json::FieldPicker<7> ADDITIONAL_FIELDS_PICKER{
      std::array{column::DRIVE_LETTER, column::PRODUCT_NAME, column::VOLUME, column::SERIAL_NUMBER,
                 column::MANUFACTURER, column::PRODUCT_REVISION, column::BUS_TYPE}};
  TimeWindow window_;
  const DeviceEventsFilter *filter_;
  bool validate_all_;
  CheapLooks<2> looks_;
};

} // namespace

DeviceEventsTable load_device_events(const std::vector<ScanSource> &sources,
                                     const TimeWindow &window, const DeviceEventsFilter *filter,
                                     const ScanOptions &options, LoadStats &stats) {
  return load_table<DeviceEventsTable>(SourceTable::device_events, sources, options, stats, [&] {
    return std::make_unique<DeviceEventsWorker>(window, filter, options.validate_all_lines);
  });
}

DeviceEventsTable load_device_events(const std::vector<std::string> &files,
                                     const TimeWindow &window, const DeviceEventsFilter *filter,
                                     const ScanOptions &options, LoadStats &stats) {
  const PlacedFiles placed(files);
  return load_device_events(placed.sources, window, filter, options, stats);
}

} // namespace usbexfil
