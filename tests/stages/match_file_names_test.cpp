#include "stage_test_support.hpp"
#include "usbexfil/stages/match_file_names.hpp"

#include <gtest/gtest.h>

using namespace usbexfil;
using namespace usbexfil::testing;

TEST(MatchFileNames, KeepsCreatedOrRenamedCopiesOfListedNames) {
  DeviceFileEventsTable t;
  constexpr std::string_view T = "2026-03-10T10:00:00Z";
  add_file_event(t, {T, "FileCreated", "Q3.XLSX", "", "", "", "", "", ""});
  add_file_event(t, {T, "FileRenamed", "q3.xlsx", "", "", "", "", "", ""});
  add_file_event(t, {T, "FileModified", "q3.xlsx", "", "", "", "", "", ""});
  add_file_event(t, {T, "filecreated", "q3.xlsx", "", "", "", "", "", ""});
  add_file_event(t, {T, "FileCreated", "q3.xlsx.tmp", "", "", "", "", "", ""});
  add_file_event(t, {T, "FileCreated", "", "", "", "", "", "", ""});
  FileList list;
  list.folded_names.insert("q3.xlsx");
  EXPECT_EQ(match_file_names(t, list), (Selection{0, 1}));
  list.folded_names.insert("");
  EXPECT_EQ(match_file_names(t, list), (Selection{0, 1, 5}));
}
