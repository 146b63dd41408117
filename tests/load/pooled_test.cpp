#include "load/huge_buffer.hpp"
#include "load/json_values.hpp"
#include "load/pooled.hpp"

#include <gtest/gtest.h>

#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

using namespace usbexfil;

namespace {

struct Counter {
  int uses = 0;
};

/// The VmFlags of the mapping that holds `address` (from /proc/self/smaps), e.g. "rd wr mr hg";
/// empty where it cannot be read.
std::string mapping_flags(const void *address) {
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t start = 0;
    std::uintptr_t end = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> start >> dash >> end && dash == '-') {
      inside = start <= at && at < end;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line.substr(8) + " ";
    }
  }
  return "";
}

} // namespace

TEST(Pooled, ReusesObjectsGivenBackAndMakesNewOnesWhenAllAreTaken) {
  const Counter *first = nullptr;
  {
    Pooled<Counter> a;
    a->uses++;
    first = &*a;
  }
  Pooled<Counter> b; // gets a's object back, with its state
  EXPECT_EQ(&*b, first);
  EXPECT_EQ(b->uses, 1);
  Pooled<Counter> c; // the list is empty while b holds the only object
  EXPECT_NE(&*c, first);
  EXPECT_EQ(c->uses, 0);
}

TEST(ReserveDocument, GrowsAtLeastTwofoldAndParsesAfterwards) {
  simdjson::dom::parser parser;
  ASSERT_TRUE(json::reserve_document(parser, 100));
  const std::size_t first = parser.capacity();
  EXPECT_GE(first, 100u);
  ASSERT_TRUE(json::reserve_document(parser, first + 1));
  EXPECT_GE(parser.capacity(), 2 * first);
  EXPECT_GE(parser.doc.capacity(), 2 * first);
  const std::size_t grown = parser.capacity();
  ASSERT_TRUE(json::reserve_document(parser, grown)); // fits: no change
  EXPECT_EQ(parser.capacity(), grown);

  const std::string line = R"({"a":")" + std::string(3 * grown, 'x') + R"("})";
  const simdjson::padded_string padded(line);
  ASSERT_TRUE(json::reserve_document(parser, padded.size()));
  simdjson::dom::element row;
  ASSERT_FALSE(parser.parse(padded.data(), padded.size(), false).get(row));
  EXPECT_EQ(row["a"].get_string().value().size(), 3 * grown);

  simdjson::ondemand::parser on_demand;
  ASSERT_TRUE(json::reserve_document(on_demand, 5000));
  EXPECT_GE(on_demand.capacity(), 5000u);
  const std::size_t before = on_demand.capacity();
  ASSERT_TRUE(json::reserve_document(on_demand, before + 1));
  EXPECT_GE(on_demand.capacity(), 2 * before);
}

TEST(AllocateBytes, LargeBuffersAreWholeAlignedHugePages) {
  ByteBuffer large = allocate_bytes(HUGE_BUFFER_MIN + 1);
  ASSERT_NE(large.get(), nullptr);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(large.get()) % HUGE_PAGE, 0u);
  large[0] = 'a';
  large[HUGE_PAGE - 1] = 'z'; // rounded up to a whole huge page
  EXPECT_EQ(large[0] + large[HUGE_PAGE - 1], 'a' + 'z');

  const std::string flags = mapping_flags(large.get());
  if (!flags.empty() && std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled")) {
    EXPECT_NE(flags.find(" hg "), std::string::npos) << flags; // advised for huge pages
  }

  ByteBuffer small = allocate_bytes(100);
  ASSERT_NE(small.get(), nullptr);
  small[99] = 'x';
  EXPECT_EQ(small[99], 'x');
  EXPECT_NE(allocate_bytes(0).get(), nullptr);
}

TEST(ReserveHeapOnHugePages, LaterSmallBlocksComeFromAnAdvisedHeap) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the sanitizer's allocator has no heap to reserve";
#else
  // In a child process: the call changes malloc's settings for the process that makes it.
  EXPECT_EXIT(
      {
        if (!reserve_heap_on_huge_pages(std::size_t{8} << 20)) {
          std::exit(3);
        }
        // Many small blocks, as the tables take them: past what free lists held before, they
        // are carved from the advised heap.
        int advised = 0;
        for (int i = 0; i < 4000; ++i) {
          void *block = std::malloc(1000);
          advised += mapping_flags(block).find(" hg ") != std::string::npos ? 1 : 0;
        }
        if (advised < 3000) {
          std::exit(4);
        }
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), "");
#endif
}
