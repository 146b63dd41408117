// Objects kept between scans. Each table's scan creates its own workers, and each worker needs
// a read buffer and simdjson parsers whose memory grows to fit the longest line. Taking these
// from a process-wide free list, and giving them back when the worker ends, lets the next
// table's workers reuse memory whose pages are already touched: on some machines a fresh page
// costs as much as parsing a few kilobytes of JSON, which dominates a run over small inputs.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

namespace usbexfil {

/// Owns a `T` taken from the free list of all `Pooled<T>`, or a new one when the list is empty;
/// the `T` goes back to the list when this ends. The list holds at most as many objects as were
/// in use at once (one per worker thread).
template <typename T> class Pooled {
public:
  Pooled() : object_(free_list().take()) {}
  ~Pooled() {
    if (object_) {
      free_list().give(std::move(object_));
    }
  }
  Pooled(const Pooled &) = delete;
  Pooled &operator=(const Pooled &) = delete;

  T &operator*() const { return *object_; }
  T *operator->() const { return object_.get(); }

private:
  class FreeList {
  public:
    std::unique_ptr<T> take() {
      std::lock_guard lock(mutex_);
      if (free_.empty()) {
        return std::make_unique<T>();
      }
      auto object = std::move(free_.back());
      free_.pop_back();
      return object;
    }
    void give(std::unique_ptr<T> object) {
      std::lock_guard lock(mutex_);
      free_.push_back(std::move(object));
    }

  private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<T>> free_;
  };

  static FreeList &free_list() {
    static FreeList list;
    return list;
  }

  std::unique_ptr<T> object_;
};

} // namespace usbexfil
