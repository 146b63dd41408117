// The property that matters most for input shapes: one dataset rendered in every shape of
// inputs.md gives byte-identical findings. The renderer below writes a flat dataset (four
// JSON-lines files named after their tables) in each shape; the CLI must print the same bytes
// for each as for the flat files.
#include "cli/run_command.hpp"
#include "load/codec_support.hpp"
#include "usbexfil/text.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <set>

using namespace usbexfil::testing;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> TABLES = {"SecurityAlert", "CloudAppEvents", "DeviceFileEvents",
                                         "DeviceEvents"};

/// A table's rows as compact JSON objects, and the union of their keys in first-seen order.
struct TableRows {
  std::vector<std::string> rows;
  std::vector<std::string> columns;
};

std::map<std::string, TableRows> read_dataset(const fs::path &dir) {
  std::map<std::string, TableRows> tables;
  simdjson::dom::parser parser;
  for (const std::string &table : TABLES) {
    TableRows &out = tables[table];
    std::set<std::string> seen;
    const std::string text = read_file((dir / (table + ".jsonl")).string());
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      const std::string line = text.substr(start, end - start);
      start = end + 1;
      simdjson::dom::element row;
      if (line.empty() || parser.parse(line).get(row) || !row.is_object()) {
        continue;
      }
      out.rows.push_back(simdjson::to_string(row));
      const simdjson::dom::object object = row.get_object().value_unsafe();
      for (const auto field : object) {
        if (seen.insert(std::string(field.key)).second) {
          out.columns.emplace_back(field.key);
        }
      }
    }
  }
  return tables;
}

/// The rows with a `Type` column naming their table (for shapes routed by records).
std::string with_type(const std::string &row, const std::string &table) {
  return "{\"Type\":\"" + table + "\"," + row.substr(1);
}

std::string json_lines(const std::vector<std::string> &rows) {
  std::string out;
  for (const std::string &row : rows) {
    out += row + "\n";
  }
  return out;
}

/// A pretty-printed JSON array: one element per line, indented.
std::string pretty_array(const std::vector<std::string> &rows) {
  std::string out = "[\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out += "  " + rows[i] + (i + 1 < rows.size() ? ",\n" : "\n");
  }
  return out + "]\n";
}

std::string envelope(const std::string &row, const std::string &table) {
  return "{\"time\":\"2026-01-01T00:00:00Z\",\"tenantId\":\"t\",\"operationName\":\"Publish\","
         "\"category\":\"AdvancedHunting-" +
         table + "\",\"properties\":" + row + "}";
}

/// A Log Analytics query API response: positional rows zipped with the columns.
std::string query_api(const TableRows &table) {
  simdjson::dom::parser parser;
  std::string out = "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    out +=
        (i ? "," : "") + std::string("{\"name\":\"") + table.columns[i] + "\",\"type\":\"string\"}";
  }
  out += "],\"rows\":[";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    simdjson::dom::element row;
    if (parser.parse(table.rows[r]).get(row)) {
      throw std::runtime_error("not JSON");
    }
    out += r ? ",\n[" : "\n[";
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      simdjson::dom::element value;
      out += i ? "," : "";
      out += row[table.columns[i]].get(value) ? "null" : simdjson::to_string(value);
    }
    out += "]";
  }
  return out + "]}]}\n";
}

/// An advanced hunting API v1 response.
std::string hunting_api(const TableRows &table) {
  std::string out = "{\"Stats\":{\"ExecutionTime\":0.1},\"Schema\":[";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    out +=
        (i ? "," : "") + std::string("{\"Name\":\"") + table.columns[i] + "\",\"Type\":\"String\"}";
  }
  out += "],\"Results\":[\n";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    out += (r ? ",\n" : "") + table.rows[r];
  }
  return out + "\n]}\n";
}

/// A Defender portal CSV: every cell quoted, JSON values as their text, null as empty.
std::string portal_csv(const TableRows &table) {
  simdjson::dom::parser parser;
  std::string out;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    out += (i ? "," : "") + table.columns[i];
  }
  out += "\r\n";
  for (const std::string &text : table.rows) {
    simdjson::dom::element row;
    if (parser.parse(text).get(row)) {
      throw std::runtime_error("not JSON");
    }
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      out += i ? "," : "";
      simdjson::dom::element value;
      if (row[table.columns[i]].get(value) || value.is_null()) {
        continue;
      }
      std::string cell = value.is_string() ? std::string(value.get_string().value_unsafe())
                                           : simdjson::to_string(value);
      if (cell.empty()) {
        continue;
      }
      std::string quoted = "\"";
      for (const char c : cell) {
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      }
      out += quoted + "\"";
    }
    out += "\r\n";
  }
  return out;
}

class Shapes : public ::testing::TestWithParam<std::string> {};

/// Renders `tables` in shape `shape` under `dir`; returns the command line's arguments.
std::string render(const std::string &shape, const std::map<std::string, TableRows> &tables,
                   const TempDir &dir) {
  const std::string root = dir.path().string();
  if (shape == "gzip" || shape == "zstd" || shape == "bzip2" || shape == "xz") {
    const auto compress = shape == "gzip"    ? gzip
                          : shape == "zstd"  ? zstd
                          : shape == "bzip2" ? bzip2
                                             : xz;
    for (const auto &[table, rows] : tables) {
      // Two members, frames or streams (a first bzip2 stream of no bytes would not be one, D5).
      const std::size_t half = rows.rows.size() / 2;
      const std::vector<std::string> first(rows.rows.begin(), rows.rows.begin() + half);
      const std::vector<std::string> second(rows.rows.begin() + half, rows.rows.end());
      dir.write(table + ".jsonl", first.empty()
                                      ? compress(json_lines(second))
                                      : compress(json_lines(first)) + compress(json_lines(second)));
    }
  } else if (shape == "pretty") {
    for (const auto &[table, rows] : tables) {
      dir.write(table + ".json", pretty_array(rows.rows));
    }
  } else if (shape == "blobs") {
    for (const auto &[table, rows] : tables) {
      const std::string lower = usbexfil::ascii_fold(table);
      dir.write("am-" + lower +
                    "/WorkspaceResourceId=/subscriptions/x/y=2026/m=03/d=10/h=09/m=00/"
                    "PT05M.json",
                json_lines(rows.rows));
    }
  } else if (shape == "envelopes") {
    std::string lines;
    for (const auto &[table, rows] : tables) {
      for (const std::string &row : rows.rows) {
        lines += envelope(row, table) + "\r\n";
      }
    }
    dir.write("streaming/tenantId=t/y=2026/PT1H.json", lines);
  } else if (shape == "eventhub") {
    std::string lines;
    for (const auto &[table, rows] : tables) {
      for (std::size_t i = 0; i < rows.rows.size(); i += 7) {
        lines += "{\"records\":[";
        for (std::size_t j = i; j < std::min(i + 7, rows.rows.size()); ++j) {
          lines += (j > i ? "," : "") + (table == "SecurityAlert" ? with_type(rows.rows[j], table)
                                                                  : envelope(rows.rows[j], table));
        }
        lines += "]}\n";
      }
    }
    dir.write("hub/messages.json", lines);
  } else if (shape == "query-api") {
    for (const auto &[table, rows] : tables) {
      dir.write("la/" + table + "-query.json", query_api(rows));
    }
  } else if (shape == "az-cli") {
    for (const auto &[table, rows] : tables) {
      std::vector<std::string> typed;
      for (const std::string &row : rows.rows) {
        typed.push_back(with_type(row, table));
      }
      dir.write("az/result-" + std::to_string(typed.size()) + ".json", pretty_array(typed));
    }
  } else if (shape == "hunting-api") {
    for (const auto &[table, rows] : tables) {
      dir.write(table + "-hunting.json", hunting_api(rows));
    }
  } else if (shape == "csv") {
    for (const auto &[table, rows] : tables) {
      dir.write(table + ".csv", "\xEF\xBB\xBF" + portal_csv(rows));
    }
  } else if (shape == "utf16") {
    for (const auto &[table, rows] : tables) {
      dir.write(table + ".json", utf16(json_lines(rows.rows), table != "DeviceEvents"));
    }
  } else if (shape == "zip" || shape == "tar.gz") {
    std::vector<std::pair<std::string, std::string>> members = {{"__MACOSX/._x", "junk"},
                                                                {".DS_Store", "junk"}};
    for (const auto &[table, rows] : tables) {
      members.emplace_back("export/am-" + usbexfil::ascii_fold(table) + "/part.json",
                           gzip(json_lines(rows.rows)));
    }
    const std::string archive = archive_of(members, shape == "zip");
    dir.write(shape == "zip" ? "export.zip" : "export.tgz",
              shape == "zip" ? archive : gzip(archive));
  } else if (shape == "options") {
    dir.write("in/a.json", json_lines(tables.at("SecurityAlert").rows));
    dir.write("in/b/part-1", zstd(json_lines(tables.at("CloudAppEvents").rows)));
    dir.write("in/c.txt", json_lines(tables.at("DeviceFileEvents").rows));
    dir.write("stdin", gzip(json_lines(tables.at("DeviceEvents").rows)));
    return "--alerts '" + root + "/in/a.json' --cloud-app-events '" + root +
           "/in/b' --device-file-events '" + root + "/in/c.txt' --device-events - < '" + root +
           "/stdin'";
  }
  return "'" + root + "'";
}

TEST_P(Shapes, GiveTheFlatFilesFindingsByteForByte) {
  for (const fs::path &dataset :
       {fs::path(USBEXFIL_TESTDATA_DIR) / "demo",
        fs::path(USBEXFIL_TESTDATA_DIR) / "cases" / "13-cross-product-and-order"}) {
    SCOPED_TRACE(dataset.filename().string());
    const auto tables = read_dataset(dataset);
    TempDir flat;
    for (const auto &[table, rows] : tables) {
      flat.write(table + ".jsonl", json_lines(rows.rows));
    }
    const CommandResult expected = run_usbexfil("run -q '" + flat.path().string() + "'");
    ASSERT_EQ(expected.exit_code, 0) << expected.err;
    ASSERT_FALSE(expected.out.empty());
    TempDir dir;
    const std::string args = render(GetParam(), tables, dir);
    for (const char *threads : {"1", "2"}) {
      const CommandResult result =
          run_usbexfil(std::string("run -j ") + threads + " --chunk-size 4k " + args);
      EXPECT_EQ(result.exit_code, 0) << result.err;
      EXPECT_EQ(result.out, expected.out) << result.err;
      EXPECT_EQ(result.err.find("error"), std::string::npos) << result.err;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Every, Shapes,
                         ::testing::Values("gzip", "zstd", "bzip2", "xz", "pretty", "blobs",
                                           "envelopes", "eventhub", "query-api", "az-cli",
                                           "hunting-api", "csv", "utf16", "zip", "tar.gz",
                                           "options"),
                         [](const auto &param_info) {
                           std::string name = param_info.param;
                           std::erase(name, '-');
                           std::erase(name, '.');
                           return name;
                         });

} // namespace
