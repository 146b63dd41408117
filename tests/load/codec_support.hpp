// Compressors, archive writers and a UTF-16 encoder for the tests, from the same libraries the
// reader uses (their encoders), so the tests need no command-line tools.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <bzlib.h>
#include <isa-l/igzip_lib.h>
#include <lzma.h>
#include <zstd.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace usbexfil::testing {

/// One gzip member of `text`.
inline std::string gzip(std::string_view text) {
  std::string out(text.size() + text.size() / 2 + 1024, '\0');
  isal_zstream stream;
  isal_deflate_stateless_init(&stream);
  stream.gzip_flag = IGZIP_GZIP;
  stream.end_of_stream = 1;
  stream.next_in = reinterpret_cast<std::uint8_t *>(const_cast<char *>(text.data()));
  stream.avail_in = static_cast<std::uint32_t>(text.size());
  stream.next_out = reinterpret_cast<std::uint8_t *>(out.data());
  stream.avail_out = static_cast<std::uint32_t>(out.size());
  if (isal_deflate_stateless(&stream) != COMP_OK) {
    throw std::runtime_error("gzip failed");
  }
  out.resize(stream.total_out);
  return out;
}

/// One zstd frame of `text`.
inline std::string zstd(std::string_view text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const std::size_t size = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  if (ZSTD_isError(size)) {
    throw std::runtime_error("zstd failed");
  }
  out.resize(size);
  return out;
}

/// One bzip2 stream of `text`.
inline std::string bzip2(std::string_view text) {
  std::string out(text.size() + text.size() / 100 + 1024, '\0');
  auto size = static_cast<unsigned>(out.size());
  if (BZ2_bzBuffToBuffCompress(out.data(), &size, const_cast<char *>(text.data()),
                               static_cast<unsigned>(text.size()), 9, 0, 0) != BZ_OK) {
    throw std::runtime_error("bzip2 failed");
  }
  out.resize(size);
  return out;
}

/// One xz stream of `text`.
inline std::string xz(std::string_view text) {
  std::string out(lzma_stream_buffer_bound(text.size()), '\0');
  std::size_t size = 0;
  if (lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                              reinterpret_cast<const std::uint8_t *>(text.data()), text.size(),
                              reinterpret_cast<std::uint8_t *>(out.data()), &size,
                              out.size()) != LZMA_OK) {
    throw std::runtime_error("xz failed");
  }
  out.resize(size);
  return out;
}

/// `text` in UTF-16 with a byte-order mark (ASCII and BMP characters only).
inline std::string utf16(std::string_view utf8, bool little_endian = true) {
  std::string out = little_endian ? std::string("\xff\xfe") : std::string("\xfe\xff");
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t code = c;
    std::size_t length = 1;
    if (c >= 0xE0) {
      code = ((c & 0x0Fu) << 12) | ((utf8[i + 1] & 0x3Fu) << 6) | (utf8[i + 2] & 0x3Fu);
      length = 3;
    } else if (c >= 0xC0) {
      code = ((c & 0x1Fu) << 6) | (utf8[i + 1] & 0x3Fu);
      length = 2;
    }
    i += length;
    const char high = static_cast<char>(code >> 8);
    const char low = static_cast<char>(code & 0xFF);
    out += little_endian ? low : high;
    out += little_endian ? high : low;
  }
  return out;
}

/// A zip (`zip`) or ustar/pax tar archive of (path, content) members.
inline std::string archive_of(const std::vector<std::pair<std::string, std::string>> &members,
                              bool zip) {
  archive *writer = archive_write_new();
  if (zip) {
    archive_write_set_format_zip(writer);
  } else {
    archive_write_set_format_pax_restricted(writer);
  }
  std::vector<char> buffer(1 << 24);
  std::size_t used = 0;
  archive_write_open_memory(writer, buffer.data(), buffer.size(), &used);
  for (const auto &[path, content] : members) {
    archive_entry *entry = archive_entry_new();
    archive_entry_set_pathname(entry, path.c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_write_header(writer, entry);
    archive_write_data(writer, content.data(), content.size());
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
  return std::string(buffer.data(), used);
}

} // namespace usbexfil::testing
