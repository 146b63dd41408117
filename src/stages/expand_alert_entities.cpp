// Stage 1: alerts and their entities.
//
// Subtle points (semantics.md, stage 1): the name test is `=~` (ASCII case only, whole string),
// the status test is exact (`resolved` is kept). Entities is walked as mv-expand walks a dynamic:
// an array gives its elements, an object one single-key object per property (so a lone entity
// object splits into {"Type":...}, {"Address":...}), a scalar gives itself, null one null, and
// an empty array or object nothing. `e.Type` must be the string "ip" or "account" exactly;
// `tostring()` of a missing Address/AadUserId is "" and still pairs. `$ref` stubs have no Type.
#include "usbexfil/stages/expand_alert_entities.hpp"

#include "load/json_values.hpp"
#include "stages/hashing.hpp"
#include "usbexfil/table/columns.hpp"
#include "usbexfil/text.hpp"

#include <simdjson.h>

#include <optional>
#include <tuple>
#include <unordered_set>
#include <vector>

namespace usbexfil {
namespace {

using simdjson::dom::element;

/// One value produced by mv-expand: an element, or one property of an expanded object.
struct ExpandedItem {
  std::optional<std::string_view> key; ///< set for a property of an expanded object
  element value;

  /// `item.Name` under Kusto's rules: the value at that key of an object (the last one of
  /// that name), else nothing.
  std::optional<element> property(std::string_view name) const {
    if (key) {
      return *key == name ? std::optional<element>(value) : std::nullopt;
    }
    return json::FieldPicker<1>(std::array{name}).pick(std::optional<element>(value))[0];
  }
};

std::vector<ExpandedItem> mv_expand(element dynamic) {
  std::vector<ExpandedItem> items;
  if (dynamic.is_array()) {
    const simdjson::dom::array array = dynamic.get_array().value_unsafe();
    for (const element value : array) {
      items.push_back({std::nullopt, value});
    }
  } else if (dynamic.is_object()) {
    const simdjson::dom::object object = dynamic.get_object().value_unsafe();
    for (const auto field : object) {
      items.push_back({field.key, field.value});
    }
  } else {
    items.push_back({std::nullopt, dynamic}); // a scalar or null: one element
  }
  return items;
}

bool has_type(const ExpandedItem &item, std::string_view type) {
  const auto value = item.property(column::ENTITY_TYPE);
  return value && value->is_string() && value->get_string().value_unsafe() == type;
}

std::string_view property_text(const ExpandedItem &item, std::string_view name, StringPool &pool) {
  std::string scratch;
  return pool.intern(json::to_kusto_string(item.property(name), scratch));
}

} // namespace

bool is_rule_alert(std::string_view alert_name, std::string_view status) {
  return ascii_iequals(alert_name, column::ALERT_NAME_MASS_DOWNLOAD) &&
         status != column::STATUS_RESOLVED;
}

void for_each_alert_entity(const SecurityAlertTable &alerts, StringPool &pool,
                           const std::function<void(std::size_t, const AlertEntity &)> &visit) {
  simdjson::dom::parser parser;
  for (std::size_t row = 0; row < alerts.size(); ++row) {
    if (!is_rule_alert(alerts.alert_name[row], alerts.status[row])) {
      continue;
    }
    element entities;
    if (parser.parse(simdjson::padded_string(alerts.entities_json[row])).get(entities)) {
      continue; // cannot happen: the loader stored valid JSON
    }
    std::vector<std::string_view> ips;
    std::vector<std::string_view> accounts;
    for (const ExpandedItem &item : mv_expand(entities)) {
      if (has_type(item, column::ENTITY_TYPE_IP)) {
        ips.push_back(property_text(item, column::ENTITY_ADDRESS, pool));
      }
      if (has_type(item, column::ENTITY_TYPE_ACCOUNT)) {
        accounts.push_back(property_text(item, column::ENTITY_AAD_USER_ID, pool));
      }
    }
    for (const std::string_view ip : ips) {
      for (const std::string_view account : accounts) {
        visit(row, AlertEntity{alerts.time_generated[row], ip, account});
      }
    }
  }
}

AlertEntityTable expand_alert_entities(const SecurityAlertTable &alerts) {
  AlertEntityTable result;
  std::unordered_set<std::tuple<Datetime, std::string_view, std::string_view>, TupleHash> seen;
  for_each_alert_entity(alerts, result.pool, [&](std::size_t, const AlertEntity &row) {
    if (seen.emplace(row.alert_time, row.ip_address, row.aad_user_id).second) {
      result.rows.push_back(row);
    }
  });
  return result;
}

} // namespace usbexfil
