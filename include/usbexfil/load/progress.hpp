// What the scans have read so far, for a progress display (`usbexfil run` on a terminal). The
// counters are process-wide and relaxed: a display samples them, nothing depends on them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace usbexfil::progress {

/// Bytes read from input files so far, by every scan (as stored: compressed bytes of a
/// compressed file).
inline std::atomic<std::uint64_t> bytes_read{0};

/// The table being scanned (a SourceTable as an int; -1 before the first scan), the bytes of
/// its inputs, and `bytes_read` when its scan started.
inline std::atomic<int> table{-1};
inline std::atomic<std::uint64_t> table_bytes{0};
inline std::atomic<std::uint64_t> table_start{0};
/// When that scan started: steady_clock nanoseconds.
inline std::atomic<std::int64_t> table_started_ns{0};

/// Marks the start of `table`'s scan over `bytes` of input.
inline void start_table(int table_id, std::uint64_t bytes) {
  table_start.store(bytes_read.load(std::memory_order_relaxed), std::memory_order_relaxed);
  table_bytes.store(bytes, std::memory_order_relaxed);
  table_started_ns.store(std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count(),
                         std::memory_order_relaxed);
  table.store(table_id, std::memory_order_release);
}

/// Adds `n` to bytes_read.
inline void count(std::uint64_t n) { bytes_read.fetch_add(n, std::memory_order_relaxed); }

} // namespace usbexfil::progress
