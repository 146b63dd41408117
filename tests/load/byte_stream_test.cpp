#include "load/archive_reader.hpp"
#include "load/byte_stream.hpp"
#include "load/codec_support.hpp"
#include "load/record_stream.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace usbexfil;
using namespace usbexfil::testing;

namespace {

/// A stream over a string, handing out at most `step` bytes a read.
class StringStream final : public ByteStream {
public:
  explicit StringStream(std::string bytes, std::size_t step = 1 << 20)
      : bytes_(std::move(bytes)), step_(step) {}
  std::size_t read(char *out, std::size_t size) override {
    const std::size_t count = std::min({size, step_, bytes_.size() - at_});
    bytes_.copy(out, count, at_);
    at_ += count;
    return count;
  }

private:
  std::string bytes_;
  std::size_t step_;
  std::size_t at_ = 0;
};

struct Decoded {
  std::string text;
  std::string fault;
  OpenedContent content;
};

Decoded decode(std::string bytes, std::size_t step = 1 << 20) {
  Decoded decoded;
  decoded.content = open_content(std::make_unique<StringStream>(std::move(bytes), step));
  decoded.text = read_all(*decoded.content.stream);
  decoded.fault = decoded.content.stream->fault();
  return decoded;
}

std::string lines(std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    text += "{\"n\":" + std::to_string(i) + ",\"pad\":\"" + std::string(i % 97, 'x') + "\"}\n";
  }
  return text;
}

} // namespace

TEST(SniffCompression, MagicBytesOnly) {
  EXPECT_EQ(sniff_compression("\x1f\x8b\x08"), Compression::gzip);
  EXPECT_EQ(sniff_compression("\x28\xb5\x2f\xfd"), Compression::zstd);
  EXPECT_EQ(sniff_compression("BZh91AY&SY"), Compression::bzip2);
  EXPECT_EQ(sniff_compression("BZh0AY&SY"), Compression::none); // level 0 does not exist
  EXPECT_EQ(sniff_compression("BZh9"), Compression::none);      // no block magic
  EXPECT_EQ(sniff_compression(std::string_view("\xfd\x37\x7a\x58\x5a\x00", 6)), Compression::xz);
  EXPECT_EQ(sniff_compression("{\"a\":1}"), Compression::none);
  EXPECT_EQ(sniff_compression(""), Compression::none);
}

TEST(ByteStreams, EveryCodecRoundTripsAtAnyReadSize) {
  const std::string text = lines(5000);
  for (const std::size_t step : {std::size_t{1} << 20, std::size_t{7}}) {
    EXPECT_EQ(decode(gzip(text), step).text, text);
    EXPECT_EQ(decode(zstd(text), step).text, text);
    EXPECT_EQ(decode(bzip2(text), step).text, text);
    EXPECT_EQ(decode(xz(text), step).text, text);
  }
  const Decoded plain = decode(text);
  EXPECT_EQ(plain.content.compression, Compression::none);
  EXPECT_EQ(plain.text, text);
}

TEST(ByteStreams, ConcatenatedMembersFramesAndStreamsAreAllRead) {
  const std::string a = lines(300);
  const std::string b = "{\"second\":true}\n";
  EXPECT_EQ(decode(gzip(a) + gzip(b)).text, a + b);
  EXPECT_EQ(decode(gzip(a) + gzip("") + gzip(b)).text, a + b);
  EXPECT_EQ(decode(zstd(a) + zstd(b)).text, a + b);
  // A skippable zstd frame (magic 0x184D2A50, 4-byte length) is passed over.
  const std::string skippable("\x50\x2a\x4d\x18\x03\x00\x00\x00xyz", 11);
  EXPECT_EQ(decode(zstd(a) + skippable + zstd(b)).text, a + b);
  EXPECT_EQ(decode(bzip2(a) + bzip2(b)).text, a + b);
  EXPECT_EQ(decode(bzip2(a) + bzip2("") + bzip2(b)).text, a + b);      // an empty stream between
  EXPECT_EQ(decode(bzip2("")).content.compression, Compression::none); // D5: no block, no bzip2
  EXPECT_EQ(decode(xz(a) + xz(b)).text, a + b);
  EXPECT_EQ(decode(xz(a) + std::string(8, '\0') + xz(b)).text, a + b); // stream padding
  for (const Decoded &d : {decode(gzip(a) + gzip(b)), decode(zstd(a) + zstd(b))}) {
    EXPECT_EQ(d.fault, "");
  }
}

TEST(ByteStreams, TruncatedCorruptAndTrailingBytesAreFaultsAfterTheGoodBytes) {
  const std::string text = lines(4000);
  for (const auto &compress : {gzip, zstd, bzip2, xz}) {
    const std::string whole = compress(text);
    const Decoded cut = decode(whole.substr(0, whole.size() / 2));
    EXPECT_NE(cut.fault, "");
    EXPECT_TRUE(text.starts_with(cut.text)); // what came before the fault is kept
    const Decoded trailing = decode(whole + "garbage!");
    EXPECT_EQ(trailing.text, text);
    EXPECT_NE(trailing.fault, "");
  }
  EXPECT_FALSE(decode(gzip(text).substr(0, gzip(text).size() / 2)).text.empty());
  std::string corrupt = gzip(text);
  corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x55);
  EXPECT_NE(decode(corrupt).fault, "");
  EXPECT_NE(decode(gzip(text) + "\x1f").fault, "");
}

TEST(ByteStreams, ATruncatedGzipGivesTheSameBytesBeforeItsFaultWhateverTheReadSizes) {
  // Read in small pieces, the inflater keeps decoded bytes in its own buffer; at the cut they
  // must still come out before the fault (found by the codecs fuzz target).
  const std::string text = lines(20000);
  const std::string whole = gzip(text);
  const std::string cut = whole.substr(0, whole.size() * 2 / 3);
  const Decoded large = decode(cut);
  ASSERT_NE(large.fault, "");
  for (const std::size_t inner : {std::size_t{1}, std::size_t{21}, std::size_t{4096}}) {
    for (const std::size_t piece : {std::size_t{1}, std::size_t{166}, std::size_t{5000}}) {
      OpenedContent content = open_content(std::make_unique<StringStream>(cut, inner));
      std::string small;
      std::vector<char> buffer(piece);
      for (std::size_t got; (got = content.stream->read(buffer.data(), piece)) > 0;) {
        small.append(buffer.data(), got);
      }
      EXPECT_EQ(small.size(), large.text.size()) << inner << " " << piece;
      EXPECT_TRUE(small == large.text) << inner << " " << piece;
      EXPECT_NE(content.stream->fault(), "");
    }
  }
}

TEST(ByteStreams, Utf16ReadInPiecesSmallerThanACharacterLosesNothing) {
  // A read asking for fewer bytes than the next character's UTF-8 once returned 0, which a
  // reader takes for the end of the text: the rest was lost with no fault (found by fuzzing).
  const std::string text = "{\"FileName\":\"Prüfung € 報告.docx\"}\r\n"; // 1-3 byte UTF-8
  const OpenedContent content = open_content(std::make_unique<StringStream>(utf16(text, true)));
  std::string got;
  for (const std::size_t size : {1, 2, 3, 1, 1, 4, 3, 2}) {
    char buffer[4];
    for (std::size_t n; (n = content.stream->read(buffer, size)) > 0;) {
      got.append(buffer, n);
      if (got.size() % 7 == 0) {
        break; // change the read size now and then
      }
    }
  }
  char rest[256];
  for (std::size_t n; (n = content.stream->read(rest, sizeof rest)) > 0;) {
    got.append(rest, n);
  }
  EXPECT_EQ(got, text);
  EXPECT_EQ(content.stream->fault(), "");
}

TEST(ByteStreams, Utf16WithAMarkIsTranscoded) {
  const std::string text = "{\"FileName\":\"Prüfung €.docx\"}\r\n";
  const Decoded little = decode(utf16(text, true));
  EXPECT_TRUE(little.content.utf16);
  EXPECT_EQ(little.text, text);
  EXPECT_EQ(decode(utf16(text, false)).text, text);
  EXPECT_EQ(decode(gzip(utf16(text))).text, text); // under a compression layer too
  // A surrogate pair: U+1F600.
  EXPECT_EQ(decode(std::string("\xff\xfe\x3d\xd8\x00\xde", 6)).text, "\xF0\x9F\x98\x80");
  const Decoded odd = decode(utf16(text) + "x");
  EXPECT_EQ(odd.text, text);
  EXPECT_NE(odd.fault.find("odd number of bytes"), std::string::npos);
  const Decoded lone = decode(std::string("\xff\xfe"
                                          "a\0\x00\xdc"
                                          "b\0",
                                          8));
  EXPECT_EQ(lone.text, "a");
  EXPECT_NE(lone.fault.find("unpaired surrogate"), std::string::npos);
}

TEST(OpenContent, ArchivesAndFormatsThatAreNotRead) {
  const std::string zip = archive_of({{"a.json", "{}\n"}}, true);
  EXPECT_EQ(decode(zip).content.kind, ContentKind::zip);
  EXPECT_EQ(decode(gzip(zip)).content.kind, ContentKind::zip);
  const std::string tar = archive_of({{"a.json", "{}\n"}}, false);
  EXPECT_EQ(decode(tar).content.kind, ContentKind::tar);
  EXPECT_EQ(decode(zstd(tar)).content.kind, ContentKind::tar);
  EXPECT_EQ(decode("7z\xbc\xaf\x27\x1c rest").content.kind, ContentKind::unsupported);
  EXPECT_EQ(decode("Rar!\x1a\x07\x01").content.kind, ContentKind::unsupported);
  EXPECT_EQ(decode(std::string("Obj\x01", 4)).content.unsupported,
            "an Avro file (Event Hubs Capture)");
  EXPECT_EQ(decode("{\"a\":1}\n").content.kind, ContentKind::text);
}

namespace {

/// Every member of an archive (path, bytes, error, fault) and the archive's fault, as text.
std::string list_archive(const std::string &bytes, bool zip, std::size_t inner_step,
                         std::size_t read_step) {
  ArchiveReader reader(std::make_unique<StringStream>(bytes, inner_step), zip);
  std::string out;
  ArchiveReader::Member member;
  while (reader.next(member)) {
    out += "member " + member.path + " error " + member.error + "\n";
    if (member.error.empty()) {
      auto stream = reader.open_member();
      std::string buffer(read_step, '\0');
      for (std::size_t got; (got = stream->read(buffer.data(), buffer.size())) > 0;) {
        out.append(buffer, 0, got);
      }
      out += "\nmember fault " + stream->fault() + "\n";
    }
  }
  return out + "fault " + (reader.fault().empty() ? "none" : "some") + "\n";
}

} // namespace

TEST(ArchiveReaders, WhatLibarchiveSeesDoesNotDependOnReadSizes) {
  // libarchive's readers notice some damage or not depending on where their reads end; the
  // reader hands them whole blocks both ways (the stream under it and the member's reader), so
  // a file gives the same members, bytes and faults from a disk as through a pipe's short reads.
  std::vector<std::pair<std::string, std::string>> members;
  for (int i = 0; i < 40; ++i) {
    members.emplace_back("DeviceEvents/part-" + std::to_string(i) + ".jsonl",
                         lines(static_cast<std::size_t>(50 + i * 37)));
  }
  for (const bool zip : {false, true}) {
    SCOPED_TRACE(zip ? "zip" : "tar");
    const std::string whole = archive_of(members, zip);
    std::vector<std::string> variants{whole, whole.substr(0, whole.size() / 2),
                                      whole.substr(0, whole.size() - 700)};
    std::string damaged = whole;
    for (std::size_t at = whole.size() / 3; at < whole.size() / 3 + 64; ++at) {
      damaged[at] = static_cast<char>(damaged[at] ^ 0x5a);
    }
    variants.push_back(damaged);
    for (std::size_t v = 0; v < variants.size(); ++v) {
      SCOPED_TRACE(v);
      const std::string expected = list_archive(variants[v], zip, 1 << 20, 1 << 20);
      EXPECT_EQ(list_archive(variants[v], zip, 1, 7), expected);
      EXPECT_EQ(list_archive(variants[v], zip, 13, 1), expected);
      // Intact: no fault. Cut in half: a member cut short. (Cutting the end drops a zip's
      // central directory, which a streamed read never needs, or a tar's end blocks; bytes
      // flipped inside a member's data may be noticed or not: there only equality counts.)
      if (v == 0) {
        EXPECT_TRUE(expected.ends_with("fault none\n")) << expected.substr(0, 300);
        EXPECT_EQ(expected.find("member fault \n"), expected.find("member fault "));
      }
      if (v == 1) {
        EXPECT_TRUE(expected.ends_with("fault some\n") ||
                    expected.find("member fault \n") != expected.rfind("member fault "))
            << expected.substr(expected.size() - 300);
      }
    }
  }
}
