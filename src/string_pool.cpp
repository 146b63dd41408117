#include "usbexfil/string_pool.hpp"

#include <algorithm>
#include <cstring>

namespace usbexfil {

std::string_view StringPool::intern(std::string_view text) {
  if (text.empty()) {
    return {};
  }
  if (const auto found = index_.find(text); found != index_.end()) {
    return *found;
  }
  const std::string_view stored = copy(text);
  index_.insert(stored);
  return stored;
}

std::string_view StringPool::copy(std::string_view text) {
  if (text.size() > left_) {
    const std::size_t size = std::max(BLOCK_SIZE, text.size());
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(
        size)); // no zero-fill: fresh pages are touched only as they fill
    cursor_ = blocks_.back().get();
    left_ = size;
    reserved_ += size;
  }
  std::memcpy(cursor_, text.data(), text.size());
  const std::string_view stored(cursor_, text.size());
  cursor_ += text.size();
  left_ -= text.size();
  return stored;
}

void StringPool::absorb(StringPool &&other) {
  reserved_ += other.reserved_;
  for (auto &block : other.blocks_) {
    blocks_.push_back(std::move(block));
  }
  // Keep filling our own current block; the absorbed blocks are only kept alive.
  other.blocks_.clear();
  other.index_.clear();
  other.cursor_ = nullptr;
  other.left_ = 0;
  other.reserved_ = 0;
}

} // namespace usbexfil
