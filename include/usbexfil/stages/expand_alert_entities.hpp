// Stage 1: alerts and their entities (semantics.md, stage 1).
#pragma once

#include "usbexfil/table/source_tables.hpp"
#include "usbexfil/table/stage_tables.hpp"

#include <functional>

namespace usbexfil {

/// Stage 1's alert test: AlertName `=~` the rule's name (ASCII case ignored, whole string) and
/// Status not exactly "Resolved". The SecurityAlert loader applies it too, before reading
/// Entities, when the pipeline pushes filters down.
bool is_rule_alert(std::string_view alert_name, std::string_view status);

/// Calls `visit(row, pair)` for each (ip value, account value) pair of each alert row that passes
/// `is_rule_alert`, in row order, duplicates included; the pair's strings live in `pool`.
void for_each_alert_entity(const SecurityAlertTable &alerts, StringPool &pool,
                           const std::function<void(std::size_t, const AlertEntity &)> &visit);

/// Keeps "mass download by a single user" alerts (ASCII case ignored) that are not exactly
/// "Resolved", expands Entities as mv-expand does and returns the distinct rows of
/// (Alert_TimeGenerated, IpAddress, AADUserId): the cross product of each alert's ip and account
/// values.
AlertEntityTable expand_alert_entities(const SecurityAlertTable &alerts);

} // namespace usbexfil
