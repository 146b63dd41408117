// The shape both summarize stages share: rows grouped by a tuple key, each group with min and
// max time and a set of distinct strings, emitted with the set sorted by bytes.
#pragma once

#include "stages/hashing.hpp"
#include "usbexfil/table/stage_tables.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace usbexfil {

/// Accumulates `summarize min(t), max(t), make_set(s) by key`.
template <class Key> class TimeAndSetGroups {
public:
  void add(const Key &key, Datetime time, std::string_view member) {
    auto [it, inserted] = index_.try_emplace(key, groups_.size());
    if (inserted) {
      groups_.push_back({key, Datetime::null(), Datetime::null(), {}});
    }
    Group &group = groups_[it->second];
    group.start = min_skip_null(group.start, time);
    group.end = max_skip_null(group.end, time);
    group.members.insert(member);
  }

  /// Calls `emit(key, start, end, sorted_set)` for each group, in first-seen order.
  template <class Emit> void emit(Emit emit_group) const {
    for (const Group &group : groups_) {
      StringSet members(group.members.begin(), group.members.end());
      std::sort(members.begin(), members.end());
      emit_group(group.key, group.start, group.end, std::move(members));
    }
  }

private:
  struct Group {
    Key key;
    Datetime start;
    Datetime end;
    std::unordered_set<std::string_view> members;
  };
  std::unordered_map<Key, std::size_t, TupleHash> index_;
  std::vector<Group> groups_;
};

} // namespace usbexfil
