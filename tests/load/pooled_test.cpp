#include "load/huge_buffer.hpp"
#include "load/json_values.hpp"
#include "load/pooled.hpp"

#include <gtest/gtest.h>

#include <simdjson.h>

#include <cstdint>
#include <string>

using namespace usbexfil;

namespace {

struct Counter {
  int uses = 0;
};

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

  ByteBuffer small = allocate_bytes(100);
  ASSERT_NE(small.get(), nullptr);
  small[99] = 'x';
  EXPECT_EQ(small[99], 'x');
  EXPECT_NE(allocate_bytes(0).get(), nullptr);
}
