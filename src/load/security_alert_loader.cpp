// SecurityAlert loader. Alerts are few, so every line is parsed in full. Entities is kept as the
// compact JSON of its dynamic value (a JSON string whose text is JSON is parsed here, once), so
// that stage 1 (expand_alert_entities) can walk it the way mv-expand does. With push-down, rows
// that fail stage 1's name and status test are dropped before Entities is read: resolving and
// re-serializing Entities is most of the cost of a row, and most alerts are of other rules.
#include "load/table_loader.hpp"
#include "usbexfil/load/loaders.hpp"
#include "usbexfil/stages/expand_alert_entities.hpp"
#include "usbexfil/table/columns.hpp"
#include "usbexfil/text.hpp"

namespace usbexfil {
namespace {

class SecurityAlertWorker final : public TableWorker<SecurityAlertTable> {
public:
  SecurityAlertWorker(const TimeWindow &window, bool rule_alerts_only)
      : window_(window), rule_alerts_only_(rule_alerts_only) {}

  void on_line(std::string_view line, LineContext &context) override {
    for_each_row(line, context, [&](simdjson::dom::object row) { on_row(row, context); });
  }

private:
  void on_row(simdjson::dom::object row, LineContext &context) {
    const auto [time, name, status, entities, alert_id] = PICKER.pick(row);
    const Datetime time_generated = datetime_column(column::TIME_GENERATED, time, context);
    if (!in_window(window_, time_generated)) {
      return;
    }
    const std::string_view alert_name = string_column(column::ALERT_NAME, name, context);
    const std::string_view alert_status = string_column(column::STATUS, status, context);
    if (rule_alerts_only_ && !is_rule_alert(alert_name, alert_status)) {
      return;
    }
    table_.time_generated.push_back(time_generated);
    table_.alert_name.push_back(keep(alert_name));
    table_.status.push_back(keep(alert_status));
    table_.system_alert_id.push_back(keep(dynamic_string(alert_id)));
    const auto value = dynamic_.resolve(entities);
    table_.entities_json.push_back(
        table_.pool.intern(value ? simdjson::to_string(*value) : std::string("null")));
  }

  static constexpr json::FieldPicker<5> PICKER{
      std::array{column::TIME_GENERATED, column::ALERT_NAME, column::STATUS, column::ENTITIES,
                 column::SYSTEM_ALERT_ID},
      true};
  TimeWindow window_;
  bool rule_alerts_only_;
};

} // namespace

SecurityAlertTable load_security_alerts(const std::vector<ScanSource> &sources,
                                        const TimeWindow &window, const ScanOptions &options,
                                        LoadStats &stats, bool rule_alerts_only) {
  return load_table<SecurityAlertTable>(SourceTable::security_alert, sources, options, stats, [&] {
    return std::make_unique<SecurityAlertWorker>(window, rule_alerts_only);
  });
}

SecurityAlertTable load_security_alerts(const std::vector<std::string> &files,
                                        const TimeWindow &window, const ScanOptions &options,
                                        LoadStats &stats, bool rule_alerts_only) {
  const PlacedFiles placed(files);
  return load_security_alerts(placed.sources, window, options, stats, rule_alerts_only);
}

} // namespace usbexfil
