#include "crawler/decode.h"

#include <brotli/decode.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>

#include "core/strings.h"

namespace dragnet::crawler {

// Each stage decodes through a buffer of this size and hands it on before
// decoding more, so memory per stage is fixed whatever the ratio.
constexpr size_t kChunk = 16 * 1024;

class BodyDecoder::Stage {
 public:
  virtual ~Stage() = default;
  // Consumes from the front of *in and writes at most `cap` bytes to `out`
  // (count in *n). Writing fewer than `cap` bytes means the stage needs
  // more input to produce more.
  virtual Status Step(std::string_view* in, char* out, size_t cap, size_t* n) = 0;
  // Reached the end of its compressed stream (or never saw a byte).
  virtual bool complete() const = 0;
  virtual const char* name() const = 0;
};

namespace {

// ------------------------------------------------------------ zlib stages ---

class ZlibStage : public BodyDecoder::Stage {
 public:
  // gzip: true for the gzip wrapper (members may be concatenated); false
  // for HTTP "deflate", which picks zlib-wrapped or raw from the first bytes.
  explicit ZlibStage(bool gzip) : gzip_(gzip) {}
  ~ZlibStage() override {
    if (initialised_) inflateEnd(&z_);
  }

  const char* name() const override { return gzip_ ? "gzip" : "deflate"; }
  bool complete() const override { return !saw_input_ || ended_; }

  Status Step(std::string_view* in, char* out, size_t cap, size_t* n) override {
    *n = 0;
    if (!in->empty()) saw_input_ = true;
    if (!initialised_) {
      // deflate: two bytes tell a zlib header (CMF/FLG, RFC 1950) from raw data.
      if (!gzip_ && head_.size() + in->size() < 2) {
        head_.append(in->data(), in->size());
        *in = {};
        return Status::Ok();
      }
      int bits = 16 + MAX_WBITS;
      if (!gzip_) {
        std::string first = head_ + std::string(in->substr(0, 2 - head_.size()));
        auto b0 = static_cast<unsigned char>(first[0]);
        auto b1 = static_cast<unsigned char>(first[1]);
        bool zlib_header = (b0 & 0x0f) == 8 && (b0 >> 4) <= 7 && ((b0 << 8) | b1) % 31 == 0;
        bits = zlib_header ? MAX_WBITS : -MAX_WBITS;
      }
      if (inflateInit2(&z_, bits) != Z_OK) return Internal("inflateInit2 failed");
      initialised_ = true;
    }
    if (!head_.empty()) {
      // At most one byte held back by the deflate sniffing above.
      std::string_view h = head_;
      Status st = Inflate(&h, out, cap, n);
      if (!st.ok()) return st;
      head_.erase(0, head_.size() - h.size());
      if (!head_.empty() || *n == cap) return Status::Ok();
    }
    size_t done = *n;
    size_t more = 0;
    Status st = Inflate(in, out + done, cap - done, &more);
    *n = done + more;
    return st;
  }

  bool has_pending_head() const { return !head_.empty(); }

 private:
  Status Inflate(std::string_view* in, char* out, size_t cap, size_t* n) {
    *n = 0;
    while (true) {
      if (ended_) {
        if (in->empty()) return Status::Ok();
        // Another gzip member follows (RFC 1952 allows concatenation);
        // anything else after the end of the stream is ignored garbage.
        if (gzip_ && static_cast<unsigned char>((*in)[0]) == 0x1f) {
          if (inflateReset(&z_) != Z_OK) return Internal("inflateReset failed");
          ended_ = false;
        } else {
          *in = {};
          return Status::Ok();
        }
      }
      z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in->data()));
      z_.avail_in = static_cast<uInt>(std::min<size_t>(in->size(), 1u << 30));
      z_.next_out = reinterpret_cast<Bytef*>(out + *n);
      z_.avail_out = static_cast<uInt>(cap - *n);
      size_t before_in = z_.avail_in;
      int rc = inflate(&z_, Z_NO_FLUSH);
      size_t used = before_in - z_.avail_in;
      in->remove_prefix(used);
      *n = cap - z_.avail_out;
      if (rc == Z_STREAM_END) {
        ended_ = true;
        if (*n == cap) return Status::Ok();
        continue;
      }
      if (rc == Z_BUF_ERROR) return Status::Ok();  // no progress possible: needs input or room
      if (rc != Z_OK) {
        return ParseError(std::string("corrupt ") + name() + " data: " +
                          (z_.msg ? z_.msg : "inflate error " + std::to_string(rc)));
      }
      if (*n == cap || in->empty()) return Status::Ok();
    }
  }

  bool gzip_;
  bool initialised_ = false;
  bool ended_ = false;
  bool saw_input_ = false;
  std::string head_;
  z_stream z_{};
};

// ----------------------------------------------------------- brotli stage ---

class BrotliStage : public BodyDecoder::Stage {
 public:
  BrotliStage() : state_(BrotliDecoderCreateInstance(nullptr, nullptr, nullptr)) {}
  ~BrotliStage() override {
    if (state_) BrotliDecoderDestroyInstance(state_);
  }
  const char* name() const override { return "br"; }
  bool complete() const override { return !saw_input_ || ended_; }

  Status Step(std::string_view* in, char* out, size_t cap, size_t* n) override {
    *n = 0;
    if (!state_) return Internal("BrotliDecoderCreateInstance failed");
    if (!in->empty()) saw_input_ = true;
    if (ended_) {
      *in = {};  // garbage after the end of the stream
      return Status::Ok();
    }
    size_t avail_in = in->size();
    const auto* next_in = reinterpret_cast<const uint8_t*>(in->data());
    size_t avail_out = cap;
    auto* next_out = reinterpret_cast<uint8_t*>(out);
    BrotliDecoderResult r =
        BrotliDecoderDecompressStream(state_, &avail_in, &next_in, &avail_out, &next_out, nullptr);
    in->remove_prefix(in->size() - avail_in);
    *n = cap - avail_out;
    if (r == BROTLI_DECODER_RESULT_ERROR) {
      return ParseError(std::string("corrupt br data: ") +
                        BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state_)));
    }
    if (r == BROTLI_DECODER_RESULT_SUCCESS) {
      ended_ = true;
      *in = {};
    }
    return Status::Ok();
  }

 private:
  BrotliDecoderState* state_;
  bool ended_ = false;
  bool saw_input_ = false;
};

// ------------------------------------------------------------ zstd stage ---

// RFC 8878 "zstd" content coding. Frames may be concatenated; the decoder's
// window is capped (RFC 8878 section 3.1.1.1.2 recommends decoders support
// at least 8 MiB; browsers refuse more), so a frame cannot make the decoder
// allocate an arbitrary window either.
class ZstdStage : public BodyDecoder::Stage {
 public:
  // log2 of the largest window accepted: 8 MiB, the value RFC 8878 asks
  // every HTTP decoder to support and the most Chromium accepts.
  static constexpr int kMaxWindowLog = 23;

  ZstdStage() : ctx_(ZSTD_createDCtx()) {
    if (ctx_) ZSTD_DCtx_setParameter(ctx_, ZSTD_d_windowLogMax, kMaxWindowLog);
  }
  ~ZstdStage() override {
    if (ctx_) ZSTD_freeDCtx(ctx_);
  }
  const char* name() const override { return "zstd"; }
  bool complete() const override { return !saw_input_ || frame_done_; }

  Status Step(std::string_view* in, char* out, size_t cap, size_t* n) override {
    *n = 0;
    if (!ctx_) return Internal("ZSTD_createDCtx failed");
    if (!in->empty()) saw_input_ = true;
    ZSTD_inBuffer ib{in->data(), in->size(), 0};
    ZSTD_outBuffer ob{out, cap, 0};
    size_t rc = ZSTD_decompressStream(ctx_, &ob, &ib);
    in->remove_prefix(ib.pos);
    *n = ob.pos;
    if (ZSTD_isError(rc)) {
      return ParseError(std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc));
    }
    // 0: a frame ended and everything of it was flushed; the next byte may
    // start another frame. A call that moved nothing says nothing new (after
    // a frame, zstd answers an empty call with the size of the next header).
    if (ib.pos > 0 || ob.pos > 0) frame_done_ = rc == 0;
    return Status::Ok();
  }

 private:
  ZSTD_DCtx* ctx_;
  bool frame_done_ = false;
  bool saw_input_ = false;
};

std::string_view TrimWs(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

// ------------------------------------------------------------ BodyDecoder ---

BodyDecoder::~BodyDecoder() = default;

Result<std::unique_ptr<BodyDecoder>> BodyDecoder::Create(std::string_view content_encoding,
                                                         size_t max_output) {
  std::unique_ptr<BodyDecoder> d(new BodyDecoder());
  d->max_output_ = max_output;
  std::vector<std::string> codings;
  std::string_view rest = content_encoding;
  // Bounded by the header size (the fetcher caps headers) and by
  // kMaxEncodings real codings.
  while (true) {
    size_t comma = rest.find(',');
    std::string token = AsciiLower(TrimWs(rest.substr(0, comma)));
    if (!token.empty() && token != "identity") {
      if (token != "gzip" && token != "x-gzip" && token != "deflate" && token != "br" &&
          token != "zstd") {
        return InvalidArgument("unsupported content-encoding '" + token.substr(0, 64) + "'");
      }
      codings.push_back(token);
      if (static_cast<int>(codings.size()) > kMaxEncodings) {
        return InvalidArgument("more than " + std::to_string(kMaxEncodings) +
                               " stacked content-encodings");
      }
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  // Codings are listed in the order they were applied; decode in reverse.
  for (auto it = codings.rbegin(); it != codings.rend(); ++it) {
    if (*it == "br") {
      d->stages_.push_back(std::make_unique<BrotliStage>());
    } else if (*it == "zstd") {
      d->stages_.push_back(std::make_unique<ZstdStage>());
    } else {
      d->stages_.push_back(std::make_unique<ZlibStage>(*it != "deflate"));
    }
  }
  return d;
}

Status BodyDecoder::Pump(size_t stage, std::string_view in, std::string* out, bool finish) {
  if (stage == stages_.size()) {
    size_t room = max_output_ - produced_;
    size_t take = std::min(room, in.size());
    out->append(in.data(), take);
    produced_ += take;
    if (take < in.size()) capped_ = true;
    return Status::Ok();
  }
  char buf[kChunk];
  // Each round either consumes input or fills the buffer (handed on, and
  // the cap ends the loop); a round that does neither ends it.
  while (!capped_) {
    size_t n = 0;
    size_t before = in.size();
    Status st = stages_[stage]->Step(&in, buf, sizeof buf, &n);
    if (!st.ok()) return st;
    if (n > 0) {
      st = Pump(stage + 1, std::string_view(buf, n), out, finish);
      if (!st.ok()) return st;
    }
    if (n == sizeof buf) continue;  // maybe more output pending
    if (in.empty() || in.size() == before) break;
  }
  return Status::Ok();
}

Status BodyDecoder::Feed(std::string_view in, std::string* out) {
  if (capped_ || failed_) return Status::Ok();
  Status st = Pump(0, in, out, false);
  if (!st.ok()) failed_ = true;
  return st;
}

Status BodyDecoder::Finish(std::string* out) {
  if (capped_ || failed_) return Status::Ok();
  Status st = Pump(0, {}, out, true);
  if (!st.ok()) {
    failed_ = true;
    return st;
  }
  if (capped_) return Status::Ok();
  for (const auto& s : stages_) {
    if (!s->complete()) {
      return ParseError(std::string("truncated ") + s->name() + " stream");
    }
  }
  return Status::Ok();
}

Result<std::string> DecodeBody(std::string_view content_encoding, std::string_view data,
                               size_t max_output, bool* capped) {
  auto d = BodyDecoder::Create(content_encoding, max_output);
  if (!d.ok()) return d.status();
  std::string out;
  DRAGNET_RETURN_IF_ERROR((*d)->Feed(data, &out));
  DRAGNET_RETURN_IF_ERROR((*d)->Finish(&out));
  if (capped) *capped = (*d)->capped();
  return out;
}

}  // namespace dragnet::crawler
