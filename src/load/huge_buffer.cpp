#include "load/huge_buffer.hpp"

#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace usbexfil {

void FreeBytes::operator()(char *bytes) const {
#if defined(__linux__)
  if (mapped > 0) {
    ::munmap(bytes, mapped);
    return;
  }
#endif
  std::free(bytes);
}

ByteBuffer allocate_bytes(std::size_t bytes) {
  if (bytes >= HUGE_BUFFER_MIN) {
    const std::size_t size = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
#if defined(__linux__)
    // A mapping of its own, never a range malloc used before: a 2 MiB range that already has
    // small pages (or just their page table) keeps getting small pages, advised or not.
    // Map one huge page more than needed and cut the ends off to get the alignment.
    void *mapping = ::mmap(nullptr, size + HUGE_PAGE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED) {
      throw std::bad_alloc();
    }
    const auto start = reinterpret_cast<std::uintptr_t>(mapping);
    const std::uintptr_t aligned = (start + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    if (aligned > start) {
      ::munmap(mapping, aligned - start);
    }
    if (const std::uintptr_t tail = start + HUGE_PAGE - aligned; tail > 0) { // past the end
      // NOLINTNEXTLINE(performance-no-int-to-ptr): page arithmetic on a mapping's address
      ::munmap(reinterpret_cast<void *>(aligned + size), tail);
    }
    // NOLINTNEXTLINE(performance-no-int-to-ptr): the mapping's address, aligned to a huge page
    auto *memory = reinterpret_cast<char *>(aligned);
#if defined(MADV_HUGEPAGE)
    ::madvise(memory, size, MADV_HUGEPAGE); // advice only: ignored where THP is off
#endif
    return ByteBuffer(memory, FreeBytes{size});
#else
    void *memory = std::aligned_alloc(HUGE_PAGE, size);
    if (memory == nullptr) {
      throw std::bad_alloc();
    }
    return ByteBuffer(static_cast<char *>(memory));
#endif
  }
  void *memory = std::malloc(bytes == 0 ? 1 : bytes);
  if (memory == nullptr) {
    throw std::bad_alloc();
  }
  return ByteBuffer(static_cast<char *>(memory));
}

bool reserve_heap_on_huge_pages(std::size_t bytes) {
#if defined(__linux__) && defined(__GLIBC__) && defined(MADV_HUGEPAGE) &&                          \
    !defined(__SANITIZE_ADDRESS__)
  // Blocks below 2 * `bytes` come from the heap (not from mmap), the heap grows at least `bytes`
  // at a time and is not trimmed below 4 * `bytes`.
  if (::mallopt(M_MMAP_THRESHOLD, static_cast<int>(2 * bytes)) == 0 ||
      ::mallopt(M_TOP_PAD, static_cast<int>(bytes)) == 0 ||
      ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(4 * bytes)) == 0) {
    return false;
  }
  // Grow the heap now with one block of `bytes`, and give it back: it stays with the heap as the
  // top. Nothing inside it is written (malloc writes a header before it and one after it), so
  // no page table exists yet for the 2 MiB pages it spans: that is what lets the kernel map
  // them as huge pages on first touch once they are advised.
  const auto before = reinterpret_cast<std::uintptr_t>(::sbrk(0));
  void *block = std::malloc(bytes);
  if (block == nullptr) {
    return false;
  }
  const auto first = reinterpret_cast<std::uintptr_t>(block);
  const auto end = reinterpret_cast<std::uintptr_t>(::sbrk(0));
  const std::uintptr_t page = 4096;
  const std::uintptr_t from = first / page * page;
  // Only where the block reaches into the break just grown (not so under a replaced malloc).
  const bool advised = end > before && first + bytes <= end && first + bytes >= before &&
                       // NOLINTNEXTLINE(performance-no-int-to-ptr): the break's page range
                       ::madvise(reinterpret_cast<void *>(from), end - from, MADV_HUGEPAGE) == 0;
  std::free(block);
  if (!advised) {
    return false;
  }
  // Only whole, aligned 2 MiB pages can be huge. Later blocks are carved from the top upwards,
  // so a block that ends at the next 2 MiB boundary (kept for the life of the process; only its
  // first page is ever touched) makes them start on huge pages, not on up to 2 MiB of small ones.
  std::uintptr_t boundary = (first + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
  if (boundary - first < page) {
    boundary += HUGE_PAGE;
  }
  static void *filler = nullptr;
  filler = std::malloc(boundary - first - 64);
  return filler != nullptr;
#else
  (void)bytes;
  return false;
#endif
}

} // namespace usbexfil
