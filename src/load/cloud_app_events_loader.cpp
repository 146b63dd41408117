// CloudAppEvents loader. With a filter, a line is parsed in full only if the cheap looks
// (cheap_looks.hpp) leave it possible that it is a download by an (AccountObjectId, IPAddress)
// pair that an alert names: any other download group has no alert to join in stage 3. RawEventData
// is read as a dynamic (JSON or JSON text) and projected to tostring(UserId) and
// tostring(SourceFileName).
#include "load/cheap_looks.hpp"
#include "load/table_loader.hpp"
#include "usbexfil/load/loaders.hpp"
#include "usbexfil/table/columns.hpp"

namespace usbexfil {

std::string pair_key(std::string_view first, std::string_view second) {
  return fmt::format("{}:{}{}", first.size(), first, second);
}

namespace {

class CloudAppEventsWorker final : public TableWorker<CloudAppEventsTable> {
public:
  CloudAppEventsWorker(const TimeWindow &window, const CloudAppEventsFilter *filter,
                       bool validate_all)
      : window_(window), filter_(filter), validate_all_(validate_all),
        looks_({std::string(column::ACTION_FILE_DOWNLOADED)},
               {column::ACTION_TYPE, column::ACCOUNT_OBJECT_ID, column::IP_ADDRESS},
               column::ACCOUNT_OBJECT_ID, filter ? filter->account_object_ids : nullptr) {}

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
    const auto [time, action, application, account, ip, city, country, raw] = PICKER.pick(row);
    const std::string_view action_type = string_column(column::ACTION_TYPE, action, context);
    const std::string_view account_object_id =
        string_column(column::ACCOUNT_OBJECT_ID, account, context);
    const std::string_view ip_address = string_column(column::IP_ADDRESS, ip, context);
    if (!admits(action_type, account_object_id, ip_address)) {
      return;
    }
    const Datetime time_generated = datetime_column(column::TIME_GENERATED, time, context);
    if (!in_window(window_, time_generated)) {
      return;
    }
    table_.time_generated.push_back(time_generated);
    table_.action_type.push_back(keep(action_type));
    table_.application.push_back(keep(string_column(column::APPLICATION, application, context)));
    table_.account_object_id.push_back(keep(account_object_id));
    table_.ip_address.push_back(keep(ip_address));
    table_.city.push_back(keep(string_column(column::CITY, city, context)));
    table_.country_code.push_back(keep(string_column(column::COUNTRY_CODE, country, context)));
    const auto raw_event_data = dynamic_.resolve(raw);
    const auto [user_id, source_file_name] = RAW_EVENT_DATA_PICKER.pick(raw_event_data);
    table_.user_id.push_back(keep(dynamic_string(user_id)));
    table_.source_file_name.push_back(keep(dynamic_string(source_file_name)));
  }

  /// The pushed-down filter (everything passes without one).
  bool admits(std::string_view action_type, std::string_view account_object_id,
              std::string_view ip_address) const {
    if (!filter_) {
      return true;
    }
    return action_type == column::ACTION_FILE_DOWNLOADED &&
           (!filter_->account_ip_keys ||
            filter_->account_ip_keys->contains(pair_key(account_object_id, ip_address)));
  }

  static constexpr json::FieldPicker<8> PICKER{
      std::array{column::TIME_GENERATED, column::ACTION_TYPE, column::APPLICATION,
                 column::ACCOUNT_OBJECT_ID, column::IP_ADDRESS, column::CITY, column::COUNTRY_CODE,
                 column::RAW_EVENT_DATA},
      true};
  static constexpr json::FieldPicker<2> RAW_EVENT_DATA_PICKER{
      std::array{column::RAW_USER_ID, column::RAW_SOURCE_FILE_NAME}};
  TimeWindow window_;
  const CloudAppEventsFilter *filter_;
  bool validate_all_;
  CheapLooks<3> looks_;
};

} // namespace

CloudAppEventsTable load_cloud_app_events(const std::vector<ScanSource> &sources,
                                          const TimeWindow &window,
                                          const CloudAppEventsFilter *filter,
                                          const ScanOptions &options, LoadStats &stats) {
  return load_table<CloudAppEventsTable>(
      SourceTable::cloud_app_events, sources, options, stats, [&] {
        return std::make_unique<CloudAppEventsWorker>(window, filter, options.validate_all_lines);
      });
}

CloudAppEventsTable load_cloud_app_events(const std::vector<std::string> &files,
                                          const TimeWindow &window,
                                          const CloudAppEventsFilter *filter,
                                          const ScanOptions &options, LoadStats &stats) {
  const PlacedFiles placed(files);
  return load_cloud_app_events(placed.sources, window, filter, options, stats);
}

} // namespace usbexfil
