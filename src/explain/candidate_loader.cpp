// CloudAppEvents for explain: the worker of cloud_app_events_loader.cpp with the pair test
// replaced by an account test. The cheap looks are the same (the raw look's key is AccountObjectId
// either way), so this scan costs what run's does; it keeps the alerted accounts' downloads from
// other IP addresses too, which run's filter drops.
#include "explain/candidate_loader.hpp"

#include "load/cheap_looks.hpp"
#include "load/table_loader.hpp"
#include "usbexfil/table/columns.hpp"

namespace usbexfil::explain {
namespace {

class AccountDownloadsWorker final : public TableWorker<CloudAppEventsTable> {
public:
  AccountDownloadsWorker(const TimeWindow &window,
                         const std::unordered_set<std::string_view> &accounts, bool validate_all)
      : window_(window), accounts_(accounts), validate_all_(validate_all),
        looks_({std::string(column::ACTION_FILE_DOWNLOADED)},
               {column::ACTION_TYPE, column::ACCOUNT_OBJECT_ID}, column::ACCOUNT_OBJECT_ID,
               &accounts) {}

  const RawPrefilter *sieve() const override { return validate_all_ ? nullptr : &looks_.raw(); }

  void on_line(std::string_view line, LineContext &context) override {
    const auto admit = [&](const auto &f) { return admits(f[0], f[1]); };
    if (!validate_all_ && context.place().keyed && !context.must_parse() &&
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
    if (!admits(action_type, account_object_id)) {
      return;
    }
    const std::string_view ip_address = string_column(column::IP_ADDRESS, ip, context);
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

  bool admits(std::string_view action_type, std::string_view account_object_id) const {
    return action_type == column::ACTION_FILE_DOWNLOADED && accounts_.contains(account_object_id);
  }

  static constexpr json::FieldPicker<8> PICKER{
      std::array{column::TIME_GENERATED, column::ACTION_TYPE, column::APPLICATION,
                 column::ACCOUNT_OBJECT_ID, column::IP_ADDRESS, column::CITY, column::COUNTRY_CODE,
                 column::RAW_EVENT_DATA},
      true};
  static constexpr json::FieldPicker<2> RAW_EVENT_DATA_PICKER{
      std::array{column::RAW_USER_ID, column::RAW_SOURCE_FILE_NAME}};
  TimeWindow window_;
  const std::unordered_set<std::string_view> &accounts_;
  bool validate_all_;
  CheapLooks<2> looks_;
};

} // namespace

CloudAppEventsTable load_account_downloads(const std::vector<ScanSource> &sources,
                                           const TimeWindow &window,
                                           const std::unordered_set<std::string_view> &accounts,
                                           const ScanOptions &options, LoadStats &stats) {
  return load_table<CloudAppEventsTable>(SourceTable::cloud_app_events, sources, options, stats,
                                         [&] {
                                           return std::make_unique<AccountDownloadsWorker>(
                                               window, accounts, options.validate_all_lines);
                                         });
}

} // namespace usbexfil::explain
