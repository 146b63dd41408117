// The pre-filter kernel for sse2 (simd/prefilter_kernel.hpp).
#include "load/simd/prefilter_kernel.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#define USBEXFIL_BLOCK_SSE2
#else
#define USBEXFIL_BLOCK_SCALAR
#endif
#define USBEXFIL_KERNEL sse2
#define USBEXFIL_KERNEL_TABLE PREFILTER_SSE2
#include "load/simd/prefilter_kernel.inl"
