// usbexfil_write_formats: the time each output format takes to write N synthetic findings
// (default 100,000, each with 12 downloaded and 9 copied and matched files), and the time of
// sort_findings, so that formatting can be compared with the scan of the benchmark day
// (docs/performance.md). Output goes to a sink that only counts bytes, as `-o /dev/null` would.
// --specials puts what the escapes must handle into some values: non-ASCII names, quotes, `&`
// and `<`, a control character (one finding in 50), so that the slow paths are timed too.
// --format (repeatable) times only the formats named (jsonl, jsonl+sentinel, json, csv, table,
// html), for a profile of one writer.
//   usbexfil_write_formats [--findings N] [--repeat R] [--format F]... [--specials]
#include "usbexfil/output/writer.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <deque>
#include <random>
#include <string>
#include <vector>

using namespace usbexfil;

int main(int argc, char **argv) {
  CLI::App app{"Time each output format on synthetic findings"};
  std::size_t count = 100'000;
  int repeat = 3;
  app.add_option("--findings", count, "Number of findings");
  app.add_option("--repeat", repeat, "Runs per format; the fastest is reported");
  std::vector<std::string> only;
  app.add_option("--format", only, "Time only these formats (jsonl, jsonl+sentinel, json, ...)");
  bool specials = false;
  app.add_flag("--specials", specials,
               "Non-ASCII, quotes, HTML specials and control characters in some values");
  CLI11_PARSE(app, argc, argv);
  constexpr std::array<std::string_view, 6> KNOWN{"jsonl", "jsonl+sentinel", "json",
                                                  "csv",   "table",          "html"};
  for (const std::string &name : only) {
    if (std::find(KNOWN.begin(), KNOWN.end(), name) == KNOWN.end()) {
      fmt::print(stderr, "unknown --format {}: one of {}\n", name, fmt::join(KNOWN, ", "));
      return 2;
    }
  }

  std::deque<std::string> pool; // stable storage for the findings' string views
  const auto keep = [&](std::string text) -> std::string_view { return pool.emplace_back(text); };
  std::mt19937_64 random(42);
  const std::int64_t day = parse_datetime("2026-03-10T00:00:00Z").ticks();
  const auto time = [&](std::int64_t offset_s) {
    return Datetime::from_ticks(day + offset_s * TICKS_PER_SECOND +
                                static_cast<std::int64_t>(random() % TICKS_PER_SECOND));
  };
  StringSet names;
  StringSet copied;
  StringSet matched;
  for (int i = 0; i < 12; ++i) {
    names.push_back(keep(fmt::format("Quarterly Report {:02} FY26 final v{}.xlsx", i, i % 4)));
  }
  for (int i = 0; i < 9; ++i) {
    copied.push_back(keep(fmt::format("E:\\Q1 Close\\{}", names[i])));
  }
  matched = copied;
  // With --specials: the names of some findings, and other values, hold what needs escaping.
  StringSet special_names;
  StringSet special_copied;
  const std::array<std::string_view, 6> odd{"Übersicht Größen – März", "Budget \"final\" & <draft>",
                                            "O'Brien's notes",         "Réunion 2026 — équipe",
                                            "報告書 第1四半期",        "=SUM(A1) tab\there"};
  for (int i = 0; i < 12; ++i) {
    special_names.push_back(i % 2 == 0 ? keep(fmt::format("{} {:02}.xlsx", odd[i % 6], i))
                                       : names[i]);
  }
  for (int i = 0; i < 9; ++i) {
    special_copied.push_back(keep(fmt::format("E:\\Q1 Close\\{}", special_names[i])));
  }
  // Sets are sorted by bytes in real findings.
  std::sort(special_names.begin(), special_names.end());
  std::sort(special_copied.begin(), special_copied.end());
  FindingTable findings(count);
  for (std::size_t i = 0; i < count; ++i) {
    Finding &f = findings[i];
    const auto base = static_cast<std::int64_t>(random() % 70'000);
    f.alert_time = time(base + 3600);
    f.usb_time = time(base + 5400);
    f.user_id = keep(fmt::format("user.{:06}@contoso.com", random() % 1'000'000));
    f.aad_user_id = keep(fmt::format("{:08x}-3a5e-4c8b-9d21-7e6f5a4b3c29", random() % (1u << 31)));
    f.device_id = keep(fmt::format("{:040x}", random()));
    f.device_name = keep(fmt::format("ws-fin-{:04}.corp.contoso.com", random() % 10'000));
    f.ip_address = keep(fmt::format("203.0.{}.{}", random() % 256, random() % 256));
    const bool odd_one = specials && i % 4 == 0;
    if (specials && i % 50 == 0) {
      f.device_name =
          keep(fmt::format("ws-fin-{:04}\x1b[31m.corp.contoso.com\x7f\u009b", random() % 10'000));
    } else if (odd_one) {
      f.user_id = keep(fmt::format("jürgen.o'brien.{:06}@contoso.com", random() % 1'000'000));
    }
    f.downloads = {"Microsoft SharePoint Online",
                   f.aad_user_id,
                   f.user_id,
                   f.ip_address,
                   "redmond",
                   "US",
                   time(base),
                   time(base + 3000),
                   odd_one ? special_names : names};
    f.copies = {
        f.user_id,      f.device_id,       f.device_name,     "c:\\windows\\explorer.exe",
        "userinit.exe", time(base + 5500), time(base + 6000), odd_one ? special_copied : copied};
    f.mount = {f.usb_time, f.device_id, "E:", "DataTraveler 3.0",
               "Volume{3b9e27c4-61d0-4f8a-9e15-c74a2d08b6f1}"};
    f.matched_files = odd_one ? special_copied : matched;
    f.initiating_process_file_name = "explorer.exe";
    f.initiating_process_folder_path = "c:\\windows\\explorer.exe";
    f.host_name = f.device_name.substr(0, 11);
    f.host_name_domain = "corp.contoso.com";
    f.account_name = f.user_id.substr(0, f.user_id.find('@'));
    f.account_upn_suffix = "contoso.com";
  }

  const auto seconds_of = [](auto &&work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  double sort_s = 1e9;
  for (int r = 0; r < repeat; ++r) {
    FindingTable copy = findings;
    std::shuffle(copy.begin(), copy.end(), random);
    sort_s = std::min(sort_s, seconds_of([&] { sort_findings(copy); }));
  }
  sort_findings(findings);
  fmt::print("{} findings\nsort_findings  {:7.3f} s\n", count, sort_s);

  RunSummary summary;
  summary.inputs = {"export/"};
  for (OutputFormat format : {OutputFormat::jsonl, OutputFormat::json, OutputFormat::csv,
                              OutputFormat::table, OutputFormat::html}) {
    for (bool sentinel : {false, true}) {
      if (sentinel && format != OutputFormat::jsonl) {
        continue;
      }
      const std::string name =
          std::string(output_format_name(format)) + (sentinel ? "+sentinel" : "");
      if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end()) {
        continue;
      }
      OutputOptions options;
      options.format = format;
      options.sentinel_strings = sentinel;
      options.summary = &summary;
      const auto writer = make_findings_writer(options);
      std::size_t bytes = 0;
      double best = 1e9;
      for (int r = 0; r < repeat; ++r) {
        bytes = 0;
        best = std::min(best, seconds_of([&] {
                          writer->write(findings,
                                        [&](std::string_view piece) { bytes += piece.size(); });
                        }));
      }
      fmt::print("{:<14} {:7.3f} s  {:7.1f} MB  {:6.0f} MB/s\n", name, best,
                 static_cast<double>(bytes) / 1e6, static_cast<double>(bytes) / 1e6 / best);
    }
  }
  return 0;
}
