#include "app/redis_keys.h"

#include "core/hash.h"

namespace dragnet::app {

const char* PriorityName(Priority p) {
  switch (p) {
    case Priority::kHigh: return "high";
    case Priority::kNormal: return "normal";
    case Priority::kLow: return "low";
  }
  return "normal";
}

bool ParsePriority(std::string_view s, Priority& out) {
  if (s == "high") out = Priority::kHigh;
  else if (s == "normal") out = Priority::kNormal;
  else if (s == "low") out = Priority::kLow;
  else return false;
  return true;
}

RedisKeys::RedisKeys(std::string prefix) : tag_("{" + std::move(prefix) + "}") {}

std::string RedisKeys::SeedStream(Priority p) const {
  return tag_ + ":stream:crawl:" + PriorityName(p);
}

std::string RedisKeys::StageStream(std::string_view stage) const {
  return tag_ + ":stream:" + std::string(stage);
}

std::vector<std::string> RedisKeys::StageStreams(std::string_view stage) const {
  if (stage == kStageCrawl) {
    return {SeedStream(Priority::kHigh), SeedStream(Priority::kNormal), SeedStream(Priority::kLow)};
  }
  return {StageStream(stage)};
}

std::string RedisKeys::DeadLetter() const { return tag_ + ":stream:dead"; }

std::string RedisKeys::StageOfStream(std::string_view stream) const {
  std::string crawl = tag_ + ":stream:crawl:";
  if (stream.substr(0, crawl.size()) == crawl) return kStageCrawl;
  if (stream == StageStream(kStageReport)) return kStageReport;
  return "";
}

std::string RedisKeys::Job(std::string_view id) const { return tag_ + ":job:" + std::string(id); }
std::string RedisKeys::Result(std::string_view h) const { return tag_ + ":result:" + std::string(h); }
std::string RedisKeys::Seen(std::string_view h) const { return tag_ + ":seen:" + std::string(h); }
std::string RedisKeys::Crawling(std::string_view h) const {
  return tag_ + ":crawling:" + std::string(h);
}
std::string RedisKeys::State(std::string_view s) const { return tag_ + ":state:" + std::string(s); }
std::string RedisKeys::Delayed() const { return tag_ + ":delayed"; }
std::string RedisKeys::HostLeases(std::string_view host) const {
  return tag_ + ":host:" + HostPart(host) + ":leases";
}
std::string RedisKeys::HostNext(std::string_view host) const {
  return tag_ + ":host:" + HostPart(host) + ":next";
}
std::string RedisKeys::Daemons() const { return tag_ + ":daemons"; }
std::string RedisKeys::Daemon(std::string_view id) const {
  return tag_ + ":daemon:" + std::string(id);
}
std::string RedisKeys::Stats() const { return tag_ + ":stats"; }

std::string RedisKeys::UrlHash(std::string_view normalized_url) {
  return Sha256Hex(normalized_url);
}

std::string RedisKeys::HostPart(std::string_view host) {
  // Host names are at most 253 bytes; ours are already punycode and
  // lowercase (core/url.h). Anything outside [a-z0-9.-:] is hashed so a key
  // never carries braces, spaces or control bytes.
  bool plain = !host.empty() && host.size() <= 253;
  for (unsigned char c : host) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' ||
          c == '_')) {
      plain = false;
      break;
    }
  }
  return plain ? std::string(host) : "h-" + Sha256Hex(host);
}

const std::vector<std::string>& RedisKeys::States() {
  static const std::vector<std::string> s = {"queued", "running", "retrying", "done", "dead"};
  return s;
}

}  // namespace dragnet::app
