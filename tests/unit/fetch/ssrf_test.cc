// The SSRF classifier over every special-use range, both families, the IPv6
// forms that embed IPv4, and the edges of each range.
#include "crawler/ssrf.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstring>
#include <string>

namespace dragnet::crawler {
namespace {

struct Case {
  const char* ip;
  AddressClass cls;
};

std::string Name(AddressClass c) { return AddressClassName(c); }

void ExpectAll(std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    Classification got = ClassifyIp(c.ip);
    EXPECT_EQ(Name(got.cls), Name(c.cls)) << c.ip << " (range " << got.range << ")";
    EXPECT_EQ(IsPublic(c.ip), c.cls == AddressClass::kPublic) << c.ip;
    if (c.cls != AddressClass::kPublic && c.cls != AddressClass::kInvalid) {
      EXPECT_FALSE(got.range.empty()) << c.ip;
    }
  }
}

TEST(SsrfClassifyV4, EveryRangeAndItsEdges) {
  using A = AddressClass;
  ExpectAll({
      {"0.0.0.0", A::kUnspecified},
      {"0.0.0.1", A::kThisNetwork},
      {"0.255.255.255", A::kThisNetwork},
      {"1.0.0.0", A::kPublic},
      {"9.255.255.255", A::kPublic},
      {"10.0.0.0", A::kPrivate},
      {"10.255.255.255", A::kPrivate},
      {"11.0.0.0", A::kPublic},
      {"100.63.255.255", A::kPublic},
      {"100.64.0.0", A::kCgnat},
      {"100.127.255.255", A::kCgnat},
      {"100.128.0.0", A::kPublic},
      {"126.255.255.255", A::kPublic},
      {"127.0.0.1", A::kLoopback},
      {"127.255.255.254", A::kLoopback},
      {"128.0.0.0", A::kPublic},
      {"169.253.255.255", A::kPublic},
      {"169.254.0.0", A::kLinkLocal},
      {"169.254.169.254", A::kLinkLocal},
      {"169.254.255.255", A::kLinkLocal},
      {"169.255.0.0", A::kPublic},
      {"172.15.255.255", A::kPublic},
      {"172.16.0.0", A::kPrivate},
      {"172.31.255.255", A::kPrivate},
      {"172.32.0.0", A::kPublic},
      {"192.0.0.0", A::kReserved},
      {"192.0.0.255", A::kReserved},
      {"192.0.1.0", A::kPublic},
      {"192.0.2.0", A::kDocumentation},
      {"192.0.2.255", A::kDocumentation},
      {"192.0.3.0", A::kPublic},
      {"192.88.98.255", A::kPublic},
      {"192.88.99.1", A::kReserved},
      {"192.88.100.0", A::kPublic},
      {"192.167.255.255", A::kPublic},
      {"192.168.0.0", A::kPrivate},
      {"192.168.255.255", A::kPrivate},
      {"192.169.0.0", A::kPublic},
      {"198.17.255.255", A::kPublic},
      {"198.18.0.0", A::kBenchmarking},
      {"198.19.255.255", A::kBenchmarking},
      {"198.20.0.0", A::kPublic},
      {"198.51.99.255", A::kPublic},
      {"198.51.100.7", A::kDocumentation},
      {"198.51.101.0", A::kPublic},
      {"203.0.112.255", A::kPublic},
      {"203.0.113.0", A::kDocumentation},
      {"203.0.113.255", A::kDocumentation},
      {"203.0.114.0", A::kPublic},
      {"223.255.255.255", A::kPublic},
      {"224.0.0.0", A::kMulticast},
      {"239.255.255.255", A::kMulticast},
      {"240.0.0.0", A::kReserved},
      {"255.255.255.254", A::kReserved},
      {"255.255.255.255", A::kBroadcast},
      {"8.8.8.8", A::kPublic},
      {"93.184.216.34", A::kPublic},
  });
}

TEST(SsrfClassifyV6, EveryRangeAndItsEdges) {
  using A = AddressClass;
  ExpectAll({
      {"::", A::kUnspecified},
      {"::1", A::kLoopback},
      {"[::1]", A::kLoopback},
      {"::2", A::kThisNetwork},  // ::0.0.0.2, IPv4-compatible form of 0/8
      {"fc00::", A::kUniqueLocal},
      {"fd12:3456:789a::1", A::kUniqueLocal},
      {"fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", A::kUniqueLocal},
      {"fe80::1", A::kLinkLocal},
      {"fe80::1%eth0", A::kLinkLocal},
      {"febf:ffff::1", A::kLinkLocal},
      {"fec0::1", A::kPrivate},
      {"ff02::1", A::kMulticast},
      {"ff0e::1", A::kMulticast},
      {"2001:db8::", A::kDocumentation},
      {"2001:db8:ffff:ffff::1", A::kDocumentation},
      {"2001:db9::1", A::kPublic},  // just past 2001:db8::/32, outside 2001::/23
      {"2001:db7:ffff::1", A::kPublic},
      {"3fff::1", A::kDocumentation},
      {"3fff:0fff:ffff::1", A::kDocumentation},
      {"3fff:1000::1", A::kPublic},
      {"2001:2::1", A::kBenchmarking},
      {"2001::1", A::kReserved},        // Teredo
      {"2001:1ff:ffff::1", A::kReserved},
      {"2001:200::1", A::kPublic},      // first address past 2001::/23
      {"100::1", A::kReserved},
      {"64:ff9b:1::1", A::kReserved},
      {"5f00::1", A::kReserved},
      {"4000::1", A::kReserved},        // outside 2000::/3
      {"1fff:ffff::1", A::kReserved},
      {"2000::1", A::kPublic},
      {"2606:4700:4700::1111", A::kPublic},
      {"2a00:1450:4001:80b::200e", A::kPublic},
  });
}

TEST(SsrfClassifyV6, EmbeddedIpv4FormsFollowTheEmbeddedAddress) {
  using A = AddressClass;
  ExpectAll({
      // IPv4-mapped
      {"::ffff:127.0.0.1", A::kLoopback},
      {"::ffff:7f00:1", A::kLoopback},
      {"::ffff:169.254.169.254", A::kLinkLocal},
      {"::ffff:10.1.2.3", A::kPrivate},
      {"::ffff:100.64.0.1", A::kCgnat},
      {"::ffff:100.63.255.255", A::kPublic},
      {"::ffff:0.0.0.0", A::kUnspecified},
      {"::ffff:255.255.255.255", A::kBroadcast},
      {"::ffff:224.0.0.1", A::kMulticast},
      {"::ffff:8.8.8.8", A::kPublic},
      // SIIT IPv4-translated
      {"::ffff:0:127.0.0.1", A::kLoopback},
      {"::ffff:0:8.8.8.8", A::kPublic},
      // IPv4-compatible (deprecated): non-public by embedded, public refused too
      {"::127.0.0.1", A::kLoopback},
      {"::169.254.169.254", A::kLinkLocal},
      {"::192.168.1.1", A::kPrivate},
      {"::8.8.8.8", A::kReserved},
      // NAT64 well-known prefix
      {"64:ff9b::127.0.0.1", A::kLoopback},
      {"64:ff9b::a9fe:a9fe", A::kLinkLocal},
      {"64:ff9b::172.16.0.1", A::kPrivate},
      {"64:ff9b::8.8.8.8", A::kPublic},
      // 6to4
      {"2002:7f00:1::", A::kLoopback},
      {"2002:a9fe:a9fe::1", A::kLinkLocal},
      {"2002:c0a8:0101::1", A::kPrivate},
      {"2002:6440:0001::", A::kCgnat},
      {"2002:c612:0001::", A::kBenchmarking},
      {"2002:0808:0808::1", A::kPublic},
  });
}

TEST(SsrfClassify, EmbeddedRangeNamesBothPrefixes) {
  Classification c = ClassifyIp("::ffff:169.254.169.254");
  EXPECT_EQ(c.range, "::ffff:0:0/96 embedding 169.254.0.0/16");
  EXPECT_EQ(ClassifyIp("2002:a9fe:a9fe::").range, "2002::/16 embedding 169.254.0.0/16");
}

TEST(SsrfClassify, GarbageIsInvalidAndNeverPublic) {
  for (const char* s : {"", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "::g", "[]",
                        "example.com", "0x7f.0.0.1", " 8.8.8.8"}) {
    EXPECT_EQ(ClassifyIp(s).cls, AddressClass::kInvalid) << s;
    EXPECT_FALSE(IsPublic(s)) << s;
  }
}

sockaddr_in V4(const char* ip, int port) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  EXPECT_EQ(inet_pton(AF_INET, ip, &sa.sin_addr), 1);
  return sa;
}

sockaddr_in6 V6(const char* ip, int port) {
  sockaddr_in6 sa{};
  sa.sin6_family = AF_INET6;
  sa.sin6_port = htons(static_cast<uint16_t>(port));
  EXPECT_EQ(inet_pton(AF_INET6, ip, &sa.sin6_addr), 1);
  return sa;
}

TEST(SsrfClassify, SockaddrFamilies) {
  sockaddr_in a = V4("169.254.169.254", 80);
  EXPECT_EQ(Classify(reinterpret_cast<sockaddr*>(&a)).cls, AddressClass::kLinkLocal);
  sockaddr_in6 b = V6("::ffff:192.168.0.1", 443);
  EXPECT_EQ(Classify(reinterpret_cast<sockaddr*>(&b)).cls, AddressClass::kPrivate);
  sockaddr un{};
  un.sa_family = AF_UNIX;
  EXPECT_EQ(Classify(&un).cls, AddressClass::kInvalid);
  EXPECT_EQ(Classify(nullptr).cls, AddressClass::kInvalid);
  EXPECT_EQ(SockaddrIp(reinterpret_cast<sockaddr*>(&b)), "::ffff:192.168.0.1");
  EXPECT_EQ(SockaddrPort(reinterpret_cast<sockaddr*>(&b)), 443);
}

TEST(SsrfCheckConnect, RefusesWithAddressAndRange) {
  GuardOptions guard;
  sockaddr_in meta = V4("169.254.169.254", 80);
  Status st = CheckConnect(reinterpret_cast<sockaddr*>(&meta), guard);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Code::kRefused);
  EXPECT_NE(st.message().find("169.254.169.254:80"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("169.254.0.0/16"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("link-local"), std::string::npos) << st.message();

  sockaddr_in6 lo6 = V6("::1", 8080);
  st = CheckConnect(reinterpret_cast<sockaddr*>(&lo6), guard);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("[::1]:8080"), std::string::npos) << st.message();

  sockaddr_in pub = V4("93.184.216.34", 443);
  EXPECT_TRUE(CheckConnect(reinterpret_cast<sockaddr*>(&pub), guard).ok());
}

TEST(SsrfCheckConnect, AllowPrivateLiftsTheGuard) {
  GuardOptions guard;
  guard.allow_private = true;
  sockaddr_in lo = V4("127.0.0.1", 80);
  EXPECT_TRUE(CheckConnect(reinterpret_cast<sockaddr*>(&lo), guard).ok());
}

TEST(SsrfCheckConnect, AllowListIsExactIpAndPort) {
  GuardOptions guard;
  guard.allow = {"127.0.0.1:8080", "[::1]:9090"};
  sockaddr_in ok = V4("127.0.0.1", 8080);
  EXPECT_TRUE(CheckConnect(reinterpret_cast<sockaddr*>(&ok), guard).ok());
  sockaddr_in other_port = V4("127.0.0.1", 8081);
  EXPECT_FALSE(CheckConnect(reinterpret_cast<sockaddr*>(&other_port), guard).ok());
  sockaddr_in other_ip = V4("127.0.0.2", 8080);
  EXPECT_FALSE(CheckConnect(reinterpret_cast<sockaddr*>(&other_ip), guard).ok());
  sockaddr_in6 v6 = V6("::1", 9090);
  EXPECT_TRUE(CheckConnect(reinterpret_cast<sockaddr*>(&v6), guard).ok());
  sockaddr_in meta = V4("169.254.169.254", 8080);
  EXPECT_FALSE(CheckConnect(reinterpret_cast<sockaddr*>(&meta), guard).ok());
}

TEST(SsrfCheckConnect, TextualAddressesFollowTheSameRules) {
  GuardOptions guard;
  guard.allow = {"127.0.0.1:8080", "[::1]:9090"};
  EXPECT_TRUE(CheckConnectIp("93.184.216.34", 80, guard).ok());
  EXPECT_TRUE(CheckConnectIp("127.0.0.1", 8080, guard).ok());
  EXPECT_TRUE(CheckConnectIp("::1", 9090, guard).ok());
  Status st = CheckConnectIp("::ffff:169.254.169.254", 80, guard);
  EXPECT_EQ(st.code(), Code::kRefused);
  EXPECT_NE(st.message().find("[::ffff:169.254.169.254]:80"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("::ffff:0:0/96 embedding 169.254.0.0/16"), std::string::npos);
  EXPECT_EQ(CheckConnectIp("", 80, guard).code(), Code::kRefused);
  EXPECT_EQ(CheckConnectIp("not-an-ip", 80, guard).code(), Code::kRefused);
  guard.allow_private = true;
  EXPECT_TRUE(CheckConnectIp("10.0.0.1", 80, guard).ok());
  EXPECT_EQ(CheckConnectIp("garbage", 80, guard).code(), Code::kRefused) << "garbage is never allowed";
}

}  // namespace
}  // namespace dragnet::crawler
