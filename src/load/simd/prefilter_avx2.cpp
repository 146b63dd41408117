// The pre-filter kernel for avx2 (simd/prefilter_kernel.hpp).
#include "load/simd/prefilter_kernel.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#if defined(__clang__) // clang ignores GCC's target pragma; this is its spelling
#pragma clang attribute push(__attribute__((target("avx2,bmi,bmi2,lzcnt,popcnt"))),                \
                             apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,bmi,bmi2,lzcnt,popcnt")
#endif
#define USBEXFIL_BLOCK_AVX2
#else
#define USBEXFIL_BLOCK_SCALAR
#endif
#define USBEXFIL_KERNEL avx2
#define USBEXFIL_KERNEL_TABLE PREFILTER_AVX2
#include "load/simd/prefilter_kernel.inl"

#if defined(__x86_64__) && defined(__clang__)
#pragma clang attribute pop
#elif defined(__x86_64__)
#pragma GCC pop_options
#endif
