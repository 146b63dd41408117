// Memory for large buffers that are written right after they are allocated.
//
// Touching a fresh 4 KiB page costs a page fault; on the virtual machines measured that is about
// 12 µs, so a fresh 2 MiB buffer costs ~5.5 ms to fill the first time, as much as parsing
// megabytes of JSON. Backed by one transparent huge page it costs one fault, ~0.2 ms.
#pragma once

#include <cstddef>
#include <memory>

namespace usbexfil {

struct FreeBytes {
  std::size_t mapped = 0; ///< the length of the block's own mapping; 0: from malloc
  void operator()(char *bytes) const;
};
using ByteBuffer = std::unique_ptr<char[], FreeBytes>;

/// At least `bytes` bytes, not zero-filled. From HUGE_BUFFER_MIN bytes on, the block is 2 MiB
/// aligned, a whole number of 2 MiB long and advised for transparent huge pages (Linux: a fresh
/// mapping of its own with `madvise(MADV_HUGEPAGE)`; where the kernel says no, it is ordinary
/// memory). Throws std::bad_alloc.
ByteBuffer allocate_bytes(std::size_t bytes);

/// For a process about to allocate many small blocks (tables, strings, hash nodes): grows the
/// malloc heap by `bytes` (rounded up by the kernel's break) now and advises it for transparent
/// huge pages, so that the blocks carved from it later fault once per 2 MiB instead of once per
/// 4 KiB; blocks below twice `bytes` come from the heap rather than from mmap, and the heap is
/// not trimmed below four times `bytes`. Changes malloc's settings for the whole process: call
/// once, at program start (the CLI does). glibc on Linux only; false where it did nothing.
bool reserve_heap_on_huge_pages(std::size_t bytes);

/// The size from which allocate_bytes asks for huge pages: below it, the 4 KiB pages a buffer
/// touches cost less than clearing a whole 2 MiB page.
inline constexpr std::size_t HUGE_BUFFER_MIN = std::size_t{256} * 1024;
inline constexpr std::size_t HUGE_PAGE = std::size_t{2} * 1024 * 1024;

} // namespace usbexfil
