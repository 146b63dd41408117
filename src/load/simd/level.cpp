#include "load/simd/level.hpp"

#include <simdjson.h>

#include <cstdlib>

namespace usbexfil::simd {

std::string_view name(Level level) {
  switch (level) {
  case Level::avx512:
    return "avx512";
  case Level::avx2:
    return "avx2";
  case Level::sse2:
    break;
  }
#if defined(__x86_64__)
  return "sse2";
#else
  return "scalar";
#endif
}

std::optional<Level> parse(std::string_view text) {
  for (const Level level : LEVELS) {
    if (text == name(level)) {
      return level;
    }
  }
  return std::nullopt;
}

bool supported(Level level) {
#if defined(__x86_64__)
  // libgcc's feature bits include the OS check (XGETBV) for the AVX and AVX-512 states.
  __builtin_cpu_init();
  switch (level) {
  case Level::avx512:
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           supported(Level::avx2);
  case Level::avx2:
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
           __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
  case Level::sse2:
    return true;
  }
  return false;
#else
  return level == Level::sse2;
#endif
}

namespace {

struct Choice {
  Level level = Level::sse2;
  std::string note;
};

Level best() {
  Level chosen = Level::sse2;
  for (const Level level : LEVELS) {
    if (supported(level)) {
      chosen = level;
    }
  }
  return chosen;
}

Choice choose() {
  Choice choice{best(), {}};
  const char *wanted = std::getenv("USBEXFIL_SIMD");
  if (wanted == nullptr || *wanted == '\0') {
    return choice;
  }
  const std::optional<Level> level = parse(wanted);
  if (!level) {
    choice.note = "USBEXFIL_SIMD=" + std::string(wanted) +
                  " is not one of sse2, avx2, avx512; using " + std::string(name(choice.level));
  } else if (!supported(*level)) {
    choice.note = "USBEXFIL_SIMD=" + std::string(wanted) + " is not supported by this CPU; using " +
                  std::string(name(choice.level));
  } else {
    choice.level = *level;
  }
  return choice;
}

const Choice &choice() {
  static const Choice CHOSEN = choose();
  return CHOSEN;
}

} // namespace

Level active() { return choice().level; }

const std::string &active_note() { return choice().note; }

std::string json_parser_kernel() {
  const simdjson::implementation *kernel = simdjson::get_active_implementation();
  return kernel->name() + " (" + kernel->description() + ")";
}

} // namespace usbexfil::simd
