#include "load/prefilter.hpp"

#include "load/simd/prefilter_kernel.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdint>
#include <cstring>

namespace usbexfil {

namespace {
constexpr std::size_t MAX_SPAN = 32; // keeps the per-line SIMD loads within LINE_PADDING
} // namespace

using prefilter_detail::Group;

RawPrefilter::RawPrefilter(const std::vector<std::string> &needles, std::string_view key,
                           const std::unordered_set<std::string_view> *values, simd::Level level)
    : level_(level), kernel_(&prefilter_detail::prefilter_kernel(level)) {
  std::vector<Group> &groups = spec_.groups;
  for (const std::string &needle : needles) {
    assert(needle.size() >= 2);
    const std::size_t span = std::min(needle.size(), MAX_SPAN);
    const char last = needle[span - 1];
    auto group = std::find_if(groups.begin(), groups.end(), [&](const Group &g) {
      return g.first == needle.front() && g.last == last && g.span == span;
    });
    if (group == groups.end()) {
      groups.push_back({needle.front(), last, span, {}});
      group = std::prev(groups.end());
    }
    group->needles.push_back(needle);
  }
  if (values != nullptr && !key.empty() && !values->contains(std::string_view())) {
    // The SIMD test looks at the name's first and last bytes (its closing quote would not tell
    // names of the same length apart: InitiatingProcessAccountUpn, ...AccountSid).
    const std::size_t span = std::min(key.size(), MAX_SPAN);
    spec_.key = Group{key.front(), key[span - 1], span, {std::string(key) + '"'}};
    spec_.values = values;
    spec_.bloom.emplace(values->size());
    for (const std::string_view value : *values) {
      spec_.bloom->insert(value);
    }
  }
}

StringBloom::StringBloom(std::size_t values)
    : bits_(std::bit_ceil(std::max<std::size_t>(4096, values * 16)) / 64, 0),
      mask_(bits_.size() * 64 - 1) {}

void StringBloom::insert(std::string_view text) {
  const std::uint64_t h = hash(text);
  const std::uint64_t first = h & mask_;
  const std::uint64_t second = (h >> 32) & mask_;
  bits_[first >> 6] |= std::uint64_t{1} << (first & 63);
  bits_[second >> 6] |= std::uint64_t{1} << (second & 63);
}

std::uint64_t StringBloom::hash(std::string_view text) {
  std::uint64_t head = 0;
  std::uint64_t tail = 0;
  if (text.size() >= 8) {
    std::memcpy(&head, text.data(), 8);
    std::memcpy(&tail, text.data() + text.size() - 8, 8);
  } else if (!text.empty()) {
    std::memcpy(&head, text.data(), text.size());
    tail = head;
  }
  std::uint64_t h =
      (head * 0x9E3779B97F4A7C15ULL) ^ (std::rotl(tail, 31) * 0xC2B2AE3D27D4EB4FULL) ^ text.size();
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ULL;
  return h ^ (h >> 32);
}

namespace prefilter_detail {

const PrefilterKernel &prefilter_kernel(simd::Level level) {
  switch (level) {
  case simd::Level::avx512:
    return PREFILTER_AVX512;
  case simd::Level::avx2:
    return PREFILTER_AVX2;
  case simd::Level::sse2:
    break;
  }
  return PREFILTER_SSE2;
}

} // namespace prefilter_detail

} // namespace usbexfil
