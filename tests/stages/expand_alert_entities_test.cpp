#include "stage_test_support.hpp"
#include "usbexfil/stages/expand_alert_entities.hpp"

#include <gtest/gtest.h>

using namespace usbexfil;
using namespace usbexfil::testing;

namespace {

constexpr std::string_view NAME = "Mass download by a single user";
constexpr std::string_view T = "2026-03-10T09:41:07Z";
constexpr std::string_view BOTH =
    R"([{"Type":"account","AadUserId":"u1"},{"Type":"ip","Address":"1.1.1.1"}])";

std::vector<std::pair<std::string, std::string>> pairs(const AlertEntityTable &table) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto &row : table.rows) {
    out.emplace_back(row.ip_address, row.aad_user_id);
  }
  return out;
}

std::size_t rows_for(std::string_view name, std::string_view status, std::string_view entities) {
  SecurityAlertTable alerts;
  add_alert(alerts, T, name, status, entities);
  return expand_alert_entities(alerts).rows.size();
}

} // namespace

TEST(ExpandAlertEntities, MatchesTheNameIgnoringAsciiCaseOnly) {
  EXPECT_EQ(rows_for("MASS DOWNLOAD BY A SINGLE USER", "New", BOTH), 1u);
  EXPECT_EQ(rows_for("Mass download by a single user ", "New", BOTH), 0u);
  EXPECT_EQ(rows_for("Mass download by a single user (2)", "New", BOTH), 0u);
  EXPECT_EQ(rows_for("Mass downlöad by a single user", "New", BOTH), 0u);
}

TEST(ExpandAlertEntities, DropsOnlyStatusExactlyResolved) {
  EXPECT_EQ(rows_for(NAME, "Resolved", BOTH), 0u);
  EXPECT_EQ(rows_for(NAME, "resolved", BOTH), 1u);
  EXPECT_EQ(rows_for(NAME, "", BOTH), 1u);
  EXPECT_EQ(rows_for(NAME, "Dismissed", BOTH), 1u);
}

TEST(ExpandAlertEntities, PairsEveryIpWithEveryAccount) {
  SecurityAlertTable alerts;
  add_alert(alerts, T, NAME, "New",
            R"([{"Type":"account","AadUserId":"a"},{"Type":"ip","Address":"1"},
                {"Type":"account","AadUserId":"b"},{"Type":"ip","Address":"2"}])");
  EXPECT_EQ(pairs(expand_alert_entities(alerts)),
            (std::vector<std::pair<std::string, std::string>>{
                {"1", "a"}, {"1", "b"}, {"2", "a"}, {"2", "b"}}));
}

TEST(ExpandAlertEntities, ComparesTypeExactlyAndSkipsRefStubs) {
  EXPECT_EQ(
      rows_for(NAME, "New", R"([{"Type":"account","AadUserId":"a"},{"Type":"IP","Address":"1"}])"),
      0u);
  EXPECT_EQ(
      rows_for(NAME, "New", R"([{"Type":"Account","AadUserId":"a"},{"Type":"ip","Address":"1"}])"),
      0u);
  EXPECT_EQ(rows_for(NAME, "New", R"([{"$ref":"2"},{"Type":"ip","Address":"1"}])"), 0u);
  EXPECT_EQ(rows_for(NAME, "New", R"([{"Type":["ip"],"Address":"1"},{"Type":"account"}])"), 0u);
}

TEST(ExpandAlertEntities, MissingFieldsReadAsEmptyAndOtherTypesAsJsonText) {
  SecurityAlertTable alerts;
  add_alert(alerts, T, NAME, "New", R"([{"Type":"account"},{"Type":"ip","Address":null}])");
  add_alert(alerts, "2026-03-10T10:00:00Z", NAME, "New",
            R"([{"Type":"account","AadUserId":12345},{"Type":"ip","Address":{"v4": "1.1.1.1"}}])");
  EXPECT_EQ(pairs(expand_alert_entities(alerts)), (std::vector<std::pair<std::string, std::string>>{
                                                      {"", ""}, {R"({"v4":"1.1.1.1"})", "12345"}}));
}

TEST(ExpandAlertEntities, WalksShapesAsMvExpandDoes) {
  // An object expands to single-key objects: {"Type":"ip"} has no Address -> "".
  EXPECT_EQ(rows_for(NAME, "New", R"({"Type":"ip","Address":"1","AadUserId":"a"})"), 0u);
  EXPECT_EQ(rows_for(NAME, "New", R"({"0":{"Type":"ip","Address":"1"},"1":{"Type":"account"}})"),
            0u);
  EXPECT_EQ(rows_for(NAME, "New", "[]"), 0u);
  EXPECT_EQ(rows_for(NAME, "New", "{}"), 0u);
  EXPECT_EQ(rows_for(NAME, "New", "null"), 0u);
  EXPECT_EQ(rows_for(NAME, "New", R"("[{\"Type\":\"ip\"}]")"), 0u);
}

TEST(ExpandAlertEntities, AnObjectWithTypeKeysPairsEmptyValues) {
  // Two properties named Type: each single-key object has a Type but no Address/AadUserId.
  SecurityAlertTable alerts;
  add_alert(alerts, T, NAME, "New", R"({"Type":"ip","Type":"account"})");
  EXPECT_EQ(pairs(expand_alert_entities(alerts)),
            (std::vector<std::pair<std::string, std::string>>{{"", ""}}));
}

TEST(ExpandAlertEntities, ReturnsDistinctRows) {
  SecurityAlertTable alerts;
  add_alert(alerts, T, NAME, "New", BOTH);
  add_alert(alerts, T, NAME, "New", BOTH);
  add_alert(alerts, "2026-03-10T10:00:00Z", NAME, "New", BOTH);
  EXPECT_EQ(expand_alert_entities(alerts).rows.size(), 2u);
}
