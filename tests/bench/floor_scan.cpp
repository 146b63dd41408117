// The JSON-parsing floor of this machine, for docs/performance.md and scripts/bench:
// reads every table file of DIR with the same chunked reader as usbexfil, parses every
// non-blank line with simdjson On-Demand and reads its ActionType. Prints bytes, lines and
// a checksum (so the work cannot be optimized away) on stdout.
//
//   usbexfil_floor_scan DIR [THREADS]
#include "load/line_scanner.hpp"
#include "usbexfil/load/table_files.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

namespace {

class ActionTypeReader final : public usbexfil::LineWorker {
public:
  void on_line(std::string_view line, usbexfil::LineContext &context) override {
    simdjson::ondemand::document doc;
    if (parser_.iterate(line.data(), line.size(), line.size() + simdjson::SIMDJSON_PADDING)
            .get(doc)) {
      context.error("not JSON");
      return;
    }
    std::string_view action;
    if (doc["ActionType"].get_string().get(action) == simdjson::SUCCESS) {
      checksum_ += action.size() + static_cast<unsigned char>(action.empty() ? 0 : action[0]);
    }
    ++lines_;
  }
  std::uint64_t checksum_ = 0;
  std::uint64_t lines_ = 0;

private:
  simdjson::ondemand::parser parser_;
};

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: usbexfil_floor_scan DIR [THREADS]\n");
    return 2;
  }
  const unsigned threads =
      argc > 2 ? static_cast<unsigned>(std::stoul(argv[2])) : std::thread::hardware_concurrency();
  const auto start = std::chrono::steady_clock::now();
  const usbexfil::TableFiles files = usbexfil::find_table_files(argv[1]);
  std::vector<std::string> all;
  for (const auto &paths : files.paths) {
    all.insert(all.end(), paths.begin(), paths.end());
  }
  std::vector<std::unique_ptr<ActionTypeReader>> workers;
  std::vector<usbexfil::LineWorker *> pointers;
  for (unsigned i = 0; i < std::max(1u, threads); ++i) {
    workers.push_back(std::make_unique<ActionTypeReader>());
    pointers.push_back(workers.back().get());
  }
  usbexfil::ScanOptions options;
  options.threads = threads;
  const usbexfil::LoadStats stats = usbexfil::scan_lines(all, options, pointers);
  std::uint64_t checksum = 0;
  std::uint64_t lines = 0;
  for (const auto &worker : workers) {
    checksum += worker->checksum_;
    lines += worker->lines_;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("bytes {} lines {} skipped {} checksum {} seconds {:.3f} gbps {:.2f}\n", stats.bytes,
             lines, stats.rows_skipped, checksum, seconds,
             static_cast<double>(stats.bytes) / seconds / 1e9);
  return 0;
}
