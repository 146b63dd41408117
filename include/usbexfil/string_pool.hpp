// An arena of interned strings. Tables hold std::string_view columns that point into a pool, so
// a repeated value (a DeviceName, an ActionType) is stored once and rows stay 16 bytes a column.
#pragma once

#include <memory>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace usbexfil {

/// Owns string bytes in stable blocks; views handed out stay valid for the pool's lifetime,
/// also after the pool is moved or absorbed into another pool.
class StringPool {
public:
  StringPool() = default;
  StringPool(StringPool &&) noexcept = default;
  StringPool &operator=(StringPool &&) noexcept = default;
  StringPool(const StringPool &) = delete;
  StringPool &operator=(const StringPool &) = delete;

  /// A stable copy of `text`, shared with an earlier equal string of this pool.
  std::string_view intern(std::string_view text);

  /// Takes over `other`'s blocks, so that views into it stay valid as long as this pool lives.
  void absorb(StringPool &&other);

  /// Bytes held in blocks (for statistics).
  std::size_t bytes_reserved() const { return reserved_; }

private:
  static constexpr std::size_t BLOCK_SIZE = std::size_t{64} * 1024;
  std::string_view copy(std::string_view text);

  std::vector<std::unique_ptr<char[]>> blocks_;
  char *cursor_ = nullptr;
  std::size_t left_ = 0;
  std::size_t reserved_ = 0;
  std::unordered_set<std::string_view> index_;
};

} // namespace usbexfil
