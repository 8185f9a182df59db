// Streaming Content-Encoding decoders: correct output for bytes made by
// independent encoders (fixtures), every feed split, truncated and corrupt
// streams, and the decoded-size cap stopping compression bombs.
#include "crawler/decode.h"

#include <brotli/encode.h>
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace dragnet::crawler {
namespace {

std::string ReadFixture(const std::string& rel) {
  std::ifstream in(std::string(DRAGNET_SOURCE_DIR) + "/tests/fixtures/fetch/" + rel,
                   std::ios::binary);
  EXPECT_TRUE(in.good()) << rel;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// zlib encoder: wbits 31 = gzip, 15 = zlib, -15 = raw deflate. Streams `n`
// copies of `unit` so a bomb is made without holding its plain text.
std::string Deflate(const std::string& unit, size_t n, int wbits) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, wbits, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out;
  char buf[1 << 16];
  for (size_t i = 0; i <= n; ++i) {
    bool last = i == n;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(unit.data()));
    z.avail_in = last ? 0 : static_cast<uInt>(unit.size());
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
      out.append(buf, sizeof buf - z.avail_out);
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  return out;
}

// `unit` repeated n times, zstd-compressed as one streamed frame (so a bomb
// never exists uncompressed in memory).
std::string Zstd(const std::string& unit, size_t n, int level = 3) {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level);
  std::string out;
  std::string buf(ZSTD_CStreamOutSize(), '\0');
  for (size_t i = 0; i < n; ++i) {
    const bool last = i + 1 == n;
    ZSTD_inBuffer in{unit.data(), unit.size(), 0};
    size_t left = 0;
    do {
      ZSTD_outBuffer ob{buf.data(), buf.size(), 0};
      left = ZSTD_compressStream2(c, &ob, &in, last ? ZSTD_e_end : ZSTD_e_continue);
      out.append(buf.data(), ob.pos);
    } while (last ? left != 0 : in.pos < in.size);
  }
  ZSTD_freeCCtx(c);
  return out;
}

std::string Brotli(const std::string& unit, size_t n, int quality = 5) {
  BrotliEncoderState* s = BrotliEncoderCreateInstance(nullptr, nullptr, nullptr);
  BrotliEncoderSetParameter(s, BROTLI_PARAM_QUALITY, static_cast<uint32_t>(quality));
  std::string out;
  for (size_t i = 0; i <= n; ++i) {
    bool last = i == n;
    size_t avail_in = last ? 0 : unit.size();
    const auto* next_in = reinterpret_cast<const uint8_t*>(unit.data());
    do {
      uint8_t buf[1 << 16];
      size_t avail_out = sizeof buf;
      uint8_t* next_out = buf;
      BrotliEncoderCompressStream(s, last ? BROTLI_OPERATION_FINISH : BROTLI_OPERATION_PROCESS,
                                  &avail_in, &next_in, &avail_out, &next_out, nullptr);
      out.append(reinterpret_cast<char*>(buf), sizeof buf - avail_out);
    } while (avail_in > 0 || BrotliEncoderHasMoreOutput(s) ||
             (last && !BrotliEncoderIsFinished(s)));
  }
  BrotliEncoderDestroyInstance(s);
  return out;
}

// Feeds `data` in pieces of `step` bytes.
Result<std::string> DecodeInSteps(const std::string& enc, const std::string& data, size_t step,
                                  size_t cap, bool* capped = nullptr) {
  auto d = BodyDecoder::Create(enc, cap);
  if (!d.ok()) return d.status();
  std::string out;
  for (size_t i = 0; i < data.size(); i += step) {
    DRAGNET_RETURN_IF_ERROR((*d)->Feed(std::string_view(data).substr(i, step), &out));
  }
  DRAGNET_RETURN_IF_ERROR((*d)->Finish(&out));
  if (capped) *capped = (*d)->capped();
  return out;
}

constexpr size_t kBig = 1 << 20;

class DecodeFixtures : public ::testing::Test {
 protected:
  std::string page_ = ReadFixture("site/index.html");
};

TEST_F(DecodeFixtures, EachEncodingDecodesToThePage) {
  struct {
    const char* enc;
    const char* file;
  } cases[] = {
      {"gzip", "encoded/index.html.gz"},       {"x-gzip", "encoded/index.html.gz"},
      {"GZIP", "encoded/index.html.gz"},       {"deflate", "encoded/index.html.zlib"},
      {"deflate", "encoded/index.html.deflate"}, {"br", "encoded/index.html.br"},
      {"gzip, br", "encoded/index.html.gz.br"}, {" gzip ,identity, br ", "encoded/index.html.gz.br"},
      {"zstd", "encoded/index.html.zst"},       {"ZSTD", "encoded/index.html.zst"},
  };
  ASSERT_GT(page_.size(), 1000u);
  for (const auto& c : cases) {
    std::string data = ReadFixture(c.file);
    for (size_t step : {size_t{1}, size_t{2}, size_t{7}, size_t{100}, data.size()}) {
      bool capped = true;
      auto out = DecodeInSteps(c.enc, data, step, kBig, &capped);
      ASSERT_TRUE(out.ok()) << c.enc << " " << c.file << " step " << step << ": "
                            << out.status().ToString();
      EXPECT_EQ(*out, page_) << c.enc << " " << c.file << " step " << step;
      EXPECT_FALSE(capped);
    }
  }
}

TEST_F(DecodeFixtures, ConcatenatedGzipMembersAllDecode) {
  auto out = DecodeBody("gzip", ReadFixture("encoded/index.html.2members.gz"), kBig);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, page_ + page_);
}

TEST_F(DecodeFixtures, ConcatenatedZstdFramesAllDecode) {
  for (size_t step : {size_t{1}, size_t{100}, size_t{4096}}) {
    auto out = DecodeInSteps("zstd", ReadFixture("encoded/index.html.2frames.zst"), step, kBig);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_EQ(*out, page_ + page_);
  }
}

TEST_F(DecodeFixtures, IdentityAndEmptyPassThrough) {
  for (const char* enc : {"", "identity", "Identity"}) {
    auto out = DecodeBody(enc, page_, kBig);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(*out, page_);
  }
  auto d = BodyDecoder::Create("", 10);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE((*d)->identity());
}

TEST_F(DecodeFixtures, EmptyCompressedBodyIsNotAnError) {
  // 204/304 replies often carry Content-Encoding with no body.
  for (const char* enc : {"gzip", "deflate", "br", "zstd"}) {
    auto out = DecodeBody(enc, "", kBig);
    ASSERT_TRUE(out.ok()) << enc;
    EXPECT_EQ(*out, "");
  }
}

TEST_F(DecodeFixtures, TruncatedStreamsAreErrorsThatKeepTheDecodedPrefix) {
  struct {
    const char* enc;
    const char* file;
  } cases[] = {{"gzip", "encoded/index.html.gz"},
               {"deflate", "encoded/index.html.zlib"},
               {"deflate", "encoded/index.html.deflate"},
               {"br", "encoded/index.html.br"},
               {"zstd", "encoded/index.html.zst"}};
  for (const auto& c : cases) {
    std::string data = ReadFixture(c.file);
    for (size_t keep : {size_t{1}, data.size() / 2, data.size() - 1}) {
      auto d = BodyDecoder::Create(c.enc, kBig);
      ASSERT_TRUE(d.ok());
      std::string out;
      ASSERT_TRUE((*d)->Feed(data.substr(0, keep), &out).ok()) << c.file << " " << keep;
      Status st = (*d)->Finish(&out);
      EXPECT_EQ(st.code(), Code::kParseError) << c.file << " keep " << keep;
      EXPECT_NE(st.message().find("truncated"), std::string::npos) << st.message();
      EXPECT_EQ(page_.compare(0, out.size(), out), 0) << "decoded prefix must match the page";
      // Only the trailer (CRC, size, last block marker) may be missing at the end.
      if (keep <= data.size() / 2) {
        EXPECT_LT(out.size(), page_.size());
      }
    }
  }
}

TEST_F(DecodeFixtures, CorruptDataIsAParseError) {
  std::string gz = ReadFixture("encoded/index.html.gz");
  gz[20] = static_cast<char>(gz[20] ^ 0xff);
  gz[21] = static_cast<char>(gz[21] ^ 0xff);
  gz[22] = static_cast<char>(gz[22] ^ 0xff);
  auto out = DecodeBody("gzip", gz, kBig);
  EXPECT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Code::kParseError);

  auto br = DecodeBody("br", "this is not brotli at all, just text", kBig);
  EXPECT_EQ(br.status().code(), Code::kParseError);
  auto notgz = DecodeBody("gzip", "<html>plain text sent as gzip</html>", kBig);
  EXPECT_EQ(notgz.status().code(), Code::kParseError);
  auto notzstd = DecodeBody("zstd", "<html>plain text sent as zstd</html>", kBig);
  EXPECT_EQ(notzstd.status().code(), Code::kParseError);
  std::string zst = ReadFixture("encoded/index.html.zst");
  zst[zst.size() / 2] = static_cast<char>(zst[zst.size() / 2] ^ 0x5a);
  zst[zst.size() / 2 + 1] = static_cast<char>(zst[zst.size() / 2 + 1] ^ 0x5a);
  EXPECT_FALSE(DecodeBody("zstd", zst, kBig).ok()) << "a flipped byte fails the frame's checksum or structure";
}

TEST_F(DecodeFixtures, GarbageAfterTheStreamIsIgnored) {
  auto out = DecodeBody("gzip", ReadFixture("encoded/index.html.gz") + "\r\n\r\ntrailing", kBig);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, page_);
}

TEST(Decode, UnknownAndTooManyCodingsAreRefused) {
  for (const char* enc : {"compress", "gzip, compress", "sdch", "xz", "\x01\x02"}) {
    auto d = BodyDecoder::Create(enc, kBig);
    EXPECT_EQ(d.status().code(), Code::kInvalidArgument) << enc;
  }
  auto d = BodyDecoder::Create("gzip, gzip, gzip, gzip, gzip", kBig);
  EXPECT_EQ(d.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(BodyDecoder::Create("gzip, gzip, gzip, gzip", kBig).ok());
}

// ------------------------------------------------------------ the caps ---

TEST(DecodeCap, PlainOutputStopsExactlyAtTheCap) {
  std::string text(10000, 'a');
  bool capped = false;
  auto out = DecodeBody("", text, 4096, &capped);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->size(), 4096u);
  EXPECT_TRUE(capped);
  out = DecodeBody("", text, 10000, &capped);
  EXPECT_EQ(out->size(), 10000u);
  EXPECT_FALSE(capped) << "exactly the cap is not over it";
}

TEST(DecodeCap, GzipBombStopsAtTheCap) {
  // 64 MiB of zeros, ~64 KiB compressed.
  std::string zeros(1 << 20, '\0');
  std::string bomb = Deflate(zeros, 64, 31);
  ASSERT_LT(bomb.size(), 256u << 10);
  const size_t cap = 1 << 20;
  bool capped = false;
  auto out = DecodeInSteps("gzip", bomb, 16 * 1024, cap, &capped);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(capped);
  EXPECT_EQ(out->size(), cap);
  EXPECT_EQ(out->find_first_not_of('\0'), std::string::npos);
}

TEST(DecodeCap, BrotliBombStopsAtTheCap) {
  std::string zeros(1 << 20, '\0');
  std::string bomb = Brotli(zeros, 512, 1);  // 512 MiB of zeros
  ASSERT_LT(bomb.size(), 1u << 20);
  const size_t cap = 3 << 20;
  bool capped = false;
  auto out = DecodeInSteps("br", bomb, 4096, cap, &capped);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(capped);
  EXPECT_EQ(out->size(), cap);
}

TEST(DecodeCap, ZstdBombStopsAtTheCap) {
  std::string zeros(1 << 20, '\0');
  std::string bomb = Zstd(zeros, 1024, 1);  // 1 GiB of zeros
  ASSERT_LT(bomb.size(), 1u << 20);
  const size_t cap = 2 << 20;
  bool capped = false;
  auto out = DecodeInSteps("zstd", bomb, 4096, cap, &capped);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(capped);
  EXPECT_EQ(out->size(), cap);
}

TEST(DecodeCap, ZstdFrameAskingForAHugeWindowIsRefused) {
  // A frame whose header declares a 1 GiB window: accepting it would let one
  // response make the decoder allocate that much.
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, 30);
  ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 1);
  // Streamed (content size unknown), so the header carries the window size.
  std::string data(1 << 16, 'x');
  std::string out(ZSTD_compressBound(data.size()) + 1024, '\0');
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  ZSTD_outBuffer ob{out.data(), out.size(), 0};
  ZSTD_compressStream2(c, &ob, &in, ZSTD_e_continue);
  size_t left = ZSTD_compressStream2(c, &ob, &in, ZSTD_e_end);
  ZSTD_freeCCtx(c);
  ASSERT_EQ(left, 0u);
  out.resize(ob.pos);
  auto r = DecodeBody("zstd", out, kBig);
  EXPECT_EQ(r.status().code(), Code::kParseError) << "window larger than 8 MiB must be refused";
}

TEST(DecodeCap, StackedBombStopsAtTheCap) {
  // gzip of 64 MiB zeros, then brotli over that: Content-Encoding: gzip, br.
  std::string zeros(1 << 20, '\0');
  std::string gz = Deflate(zeros, 64, 31);
  std::string both = Brotli(gz, 1);
  bool capped = false;
  auto out = DecodeInSteps("gzip, br", both, 1000, 1 << 20, &capped);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(capped);
  EXPECT_EQ(out->size(), size_t{1} << 20);
}

TEST(DecodeCap, RawAndZlibDeflateRoundTripAndCap) {
  std::string unit = "<p>hello deflate</p>\n";
  for (int wbits : {15, -15}) {
    std::string data = Deflate(unit, 1000, wbits);
    auto out = DecodeInSteps("deflate", data, 1, kBig);
    ASSERT_TRUE(out.ok()) << wbits << ": " << out.status().ToString();
    EXPECT_EQ(out->size(), unit.size() * 1000);
    bool capped = false;
    out = DecodeInSteps("deflate", data, 333, 5000, &capped);
    ASSERT_TRUE(out.ok());
    EXPECT_TRUE(capped);
    EXPECT_EQ(out->size(), 5000u);
  }
}

TEST(DecodeCap, FeedAfterCapIsIgnored) {
  auto d = BodyDecoder::Create("", 5);
  ASSERT_TRUE(d.ok());
  std::string out;
  ASSERT_TRUE((*d)->Feed("0123456789", &out).ok());
  ASSERT_TRUE((*d)->Feed("more", &out).ok());
  ASSERT_TRUE((*d)->Finish(&out).ok());
  EXPECT_EQ(out, "01234");
  EXPECT_TRUE((*d)->capped());
}

}  // namespace
}  // namespace dragnet::crawler
