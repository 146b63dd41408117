// Run-time choice of the SIMD kernels. The release binary is built for the x86-64 baseline;
// the code whose speed depends on wide vectors (the raw pre-filter's sieve and scan,
// simd/prefilter_kernel.hpp) is compiled once per instruction set, and the best one this CPU
// and its operating system support is chosen once, at the first use, as simdjson chooses its
// own. simdjson's parsers (DOM and On-Demand's structural index) dispatch by themselves.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace usbexfil::simd {

enum class Level { sse2, avx2, avx512 };

inline constexpr std::array<Level, 3> LEVELS{Level::sse2, Level::avx2, Level::avx512};

/// "sse2", "avx2", "avx512" (the first is plain C++ off x86-64).
std::string_view name(Level level);
std::optional<Level> parse(std::string_view name);

/// Whether this CPU and its OS can run `level`'s kernels. sse2 always can.
bool supported(Level level);

/// The kernels in use: the best supported level, or the one the environment variable
/// USBEXFIL_SIMD names (sse2, avx2, avx512) when this CPU supports it, for tests and
/// comparisons. Chosen once.
Level active();

/// The kernel simdjson chose for its own parsers (its name and description, e.g. "haswell
/// (Intel/AMD AVX2)"); simdjson picks it at run time the same way.
std::string json_parser_kernel();

/// Why USBEXFIL_SIMD was not followed ("" when it was, or is unset), for a warning.
const std::string &active_note();

} // namespace usbexfil::simd
