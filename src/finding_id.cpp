#include "usbexfil/finding_id.hpp"

#include "usbexfil/datetime.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

namespace usbexfil {
namespace {

class Fnv1a64 {
public:
  void add(std::string_view bytes) {
    for (const char c : bytes) {
      hash_ ^= static_cast<unsigned char>(c);
      hash_ *= 1099511628211ULL;
    }
  }
  /// `<length>:<value>`, so that no two lists of values hash the same text.
  void add_field(std::string_view value) {
    add(fmt::format("{}:", value.size()));
    add(value);
  }
  std::uint64_t value() const { return hash_; }

private:
  std::uint64_t hash_ = 14695981039346656037ULL;
};

} // namespace

std::string finding_id(const Finding &finding) {
  Fnv1a64 hash;
  hash.add_field(format_datetime(finding.alert_time));
  hash.add_field(format_datetime(finding.usb_time));
  hash.add_field(finding.user_id);
  hash.add_field(finding.aad_user_id);
  hash.add_field(finding.ip_address);
  hash.add_field(finding.device_id);
  hash.add_field(finding.device_name);
  hash.add_field(finding.downloads.application);
  hash.add_field(finding.downloads.city);
  hash.add_field(finding.downloads.country_code);
  hash.add_field(finding.copies.initiating_process_folder_path);
  hash.add_field(finding.copies.initiating_process_parent_file_name);
  hash.add_field(finding.mount.drive_letter);
  hash.add_field(finding.mount.product_name);
  hash.add_field(finding.mount.volume);
  return fmt::format("{:016x}", hash.value());
}

} // namespace usbexfil
