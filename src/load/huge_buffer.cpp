#include "load/huge_buffer.hpp"

#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace usbexfil {

void FreeBytes::operator()(char *bytes) const { std::free(bytes); }

ByteBuffer allocate_bytes(std::size_t bytes) {
  void *memory = nullptr;
  if (bytes >= HUGE_BUFFER_MIN) {
    const std::size_t size = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    memory = std::aligned_alloc(HUGE_PAGE, size);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (memory != nullptr) {
      ::madvise(memory, size, MADV_HUGEPAGE); // advice only: ignored where THP is off
    }
#endif
  } else {
    memory = std::malloc(bytes == 0 ? 1 : bytes);
  }
  if (memory == nullptr) {
    throw std::bad_alloc();
  }
  return ByteBuffer(static_cast<char *>(memory));
}

} // namespace usbexfil
