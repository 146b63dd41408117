// Hashing of composite group and join keys (tuples of string views and datetimes).
#pragma once

#include "usbexfil/datetime.hpp"

#include <cstddef>
#include <functional>
#include <string_view>
#include <tuple>

namespace usbexfil {

/// Hash of a tuple whose members are string views or datetimes.
struct TupleHash {
  template <class... T> std::size_t operator()(const std::tuple<T...> &key) const {
    std::size_t seed = 0;
    std::apply([&](const auto &...part) { (mix(seed, hash_one(part)), ...); }, key);
    return seed;
  }

private:
  static std::size_t hash_one(std::string_view text) { return std::hash<std::string_view>{}(text); }
  static std::size_t hash_one(Datetime time) { return std::hash<std::int64_t>{}(time.ticks()); }
  static void mix(std::size_t &seed, std::size_t value) {
    seed ^= value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
  }
};

} // namespace usbexfil
