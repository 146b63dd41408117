// usbexfil_write_formats: the time each output format takes to write N synthetic findings
// (default 100,000, each with 12 downloaded and 9 copied and matched files), and the time of
// sort_findings, so that formatting can be compared with the scan of the benchmark day
// (docs/performance.md). Output goes to a sink that only counts bytes, as `-o /dev/null` would.
//   usbexfil_write_formats [--findings N] [--repeat R]
#include "usbexfil/output/writer.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <random>
#include <string>

using namespace usbexfil;

int main(int argc, char **argv) {
  CLI::App app{"Time each output format on synthetic findings"};
  std::size_t count = 100'000;
  int repeat = 3;
  app.add_option("--findings", count, "Number of findings");
  app.add_option("--repeat", repeat, "Runs per format; the fastest is reported");
  CLI11_PARSE(app, argc, argv);

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
    f.downloads = {"Microsoft SharePoint Online",
                   f.aad_user_id,
                   f.user_id,
                   f.ip_address,
                   "redmond",
                   "US",
                   time(base),
                   time(base + 3000),
                   names};
    f.copies = {f.user_id,      f.device_id,       f.device_name,     "c:\\windows\\explorer.exe",
                "userinit.exe", time(base + 5500), time(base + 6000), copied};
    f.mount = {f.usb_time, f.device_id, "E:", "DataTraveler 3.0",
               "Volume{3b9e27c4-61d0-4f8a-9e15-c74a2d08b6f1}"};
    f.matched_files = matched;
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
      fmt::print("{:<14} {:7.3f} s  {:7.1f} MB  {:6.0f} MB/s\n",
                 std::string(output_format_name(format)) + (sentinel ? "+sentinel" : ""), best,
                 static_cast<double>(bytes) / 1e6, static_cast<double>(bytes) / 1e6 / best);
    }
  }
  return 0;
}
