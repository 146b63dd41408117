// The pipeline over every golden case and the demo: pushing filters into the scans, the thread
// count and the chunk size (down to 64 bytes, which splits files at many places) never change
// the findings.
#include "test_support.hpp"
#include "usbexfil/output/json_lines_writer.hpp"
#include "usbexfil/pipeline.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace usbexfil;

namespace {

std::vector<std::filesystem::path> data_dirs() {
  const std::filesystem::path root(USBEXFIL_TESTDATA_DIR);
  std::vector<std::filesystem::path> dirs;
  for (const auto &entry : std::filesystem::directory_iterator(root / "cases")) {
    // Cases with an `args` file need CLI options; the golden test runs those.
    if (entry.is_directory() && !std::filesystem::exists(entry.path() / "args")) {
      dirs.push_back(entry.path());
    }
  }
  std::sort(dirs.begin(), dirs.end());
  dirs.push_back(root / "demo");
  return dirs;
}

std::string run(const std::filesystem::path &dir, bool push_down, unsigned threads,
                std::size_t chunk_size, PipelineResult *keep = nullptr) {
  PipelineOptions options;
  options.push_down = push_down;
  options.scan.threads = threads;
  options.scan.min_bytes_per_thread = 0; // small test inputs still get every thread
  options.scan.chunk_size = chunk_size;
  PipelineResult result = run_pipeline(resolve_directory(dir.string()), options);
  std::string text = render_json_lines(result.findings);
  if (keep != nullptr) {
    *keep = std::move(result);
  }
  return text;
}

} // namespace

TEST(Pipeline, PushedDownFiltersThreadsAndChunksNeverChangeFindings) {
  const auto dirs = data_dirs();
  ASSERT_GE(dirs.size(), 5u);
  for (const auto &dir : dirs) {
    SCOPED_TRACE(dir.string());
    const std::string expected = usbexfil::testing::read_file((dir / "expected.jsonl").string());
    const std::string unfiltered = run(dir, false, 1, 4 << 20);
    EXPECT_EQ(unfiltered, expected);
    for (const unsigned threads : {1u, 2u, 3u}) {
      for (const std::size_t chunk : {std::size_t{64}, std::size_t{1000}, std::size_t{4} << 20}) {
        EXPECT_EQ(run(dir, true, threads, chunk), expected) << threads << " " << chunk;
      }
    }
  }
}

TEST(Pipeline, PushedDownFiltersMaterializeFewerRows) {
  const std::filesystem::path demo = std::filesystem::path(USBEXFIL_TESTDATA_DIR) / "demo";
  PipelineResult filtered;
  PipelineResult unfiltered;
  run(demo, true, 1, 4 << 20, &filtered);
  run(demo, false, 1, 4 << 20, &unfiltered);
  ASSERT_EQ(filtered.tables.size(), 4u);
  for (std::size_t t = 1; t < 4; ++t) {
    SCOPED_TRACE(filtered.tables[t].table);
    EXPECT_EQ(filtered.tables[t].rows_read, unfiltered.tables[t].rows_read);
    EXPECT_LT(filtered.tables[t].rows_kept, unfiltered.tables[t].rows_kept);
  }
  EXPECT_FALSE(filtered.findings.empty());
}

TEST(Pipeline, SkipsLaterTablesOnceNothingCanJoin) {
  usbexfil::testing::TempDir dir;
  dir.write("SecurityAlert.jsonl", R"({"AlertName":"Something else","Entities":[]})"
                                   "\n");
  dir.write("CloudAppEvents.jsonl", "not even json\n");
  dir.write("DeviceFileEvents.jsonl", "not even json\n");
  PipelineResult result;
  EXPECT_EQ(run(dir.path(), true, 1, 1 << 20, &result), "");
  ASSERT_EQ(result.tables.size(), 4u);
  EXPECT_TRUE(result.tables[0].scanned);
  EXPECT_FALSE(result.tables[1].scanned);
  EXPECT_FALSE(result.tables[2].scanned);
  EXPECT_FALSE(result.tables[3].scanned);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0], "no input for DeviceEvents; the table is empty");
}
