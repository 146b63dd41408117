// The order of findings (findings.md): one order for every output format, decided here once.
#include "usbexfil/finding.hpp"
#include "usbexfil/output/json_lines_writer.hpp"

#include <algorithm>
#include <numeric>
#include <string>
#include <tuple>
#include <vector>

namespace usbexfil {

void sort_findings(FindingTable &findings) {
  // Sort by the key columns first; only findings that tie on all of them are formatted, to
  // order them by their JSON line.
  const auto key = [&](std::size_t i) {
    const Finding &f = findings[i];
    return std::make_tuple(f.alert_time.sort_key(), f.user_id, f.device_id, f.usb_time.sort_key());
  };
  std::vector<std::size_t> order(findings.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return key(a) < key(b); });

  std::vector<std::pair<std::string, std::size_t>> tied;
  for (std::size_t first = 0; first < order.size();) {
    std::size_t last = first + 1;
    while (last < order.size() && key(order[last]) == key(order[first])) {
      ++last;
    }
    if (last - first > 1) {
      tied.clear();
      for (std::size_t i = first; i < last; ++i) {
        tied.emplace_back(format_finding(findings[order[i]]), order[i]);
      }
      std::sort(tied.begin(), tied.end());
      for (std::size_t i = first; i < last; ++i) {
        order[i] = tied[i - first].second;
      }
    }
    first = last;
  }

  FindingTable sorted;
  sorted.reserve(findings.size());
  for (const std::size_t i : order) {
    sorted.push_back(std::move(findings[i]));
  }
  findings = std::move(sorted);
}

} // namespace usbexfil
