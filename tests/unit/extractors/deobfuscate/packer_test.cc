// extractors/deobfuscate/packer.h: Dean Edwards' packer found and unpacked
// without running it; other shapes refused; the output cap.
#include "extractors/deobfuscate/packer.h"

#include <gtest/gtest.h>

namespace dragnet::extractors::deob {
namespace {

// Packed with the packer's Normal (base 62) encoding from:
//   var e='info@scam-mail.top';var u='https://panel.kit-drop.xyz/gate.php';
//   document.getElementById('c').innerHTML=e;
const char* kPacked = R"JS(eval(function(p,a,c,k,e,d){e=function(c){return(c<a?'':e(parseInt(c/a)))+((c=c%a)>35?String.fromCharCode(c+29):c.toString(36))};if(!''.replace(/^/,String)){while(c--){d[e(c)]=k[c]||e(c)}k=[function(e){return d[e]}];e=function(){return'\\w+'};c=1};while(c--){if(k[c]){p=p.replace(new RegExp('\\b'+e(c)+'\\b','g'),k[c])}}return p}('0 1=\'2@3-4.5\';0 6=\'7://8.9-a.b/c.d\';e.f(\'g\').h=1;',62,18,'var|e|info|scam|mail|top|u|https|panel|kit|drop|xyz|gate|php|document|getElementById|c|innerHTML'.split('|'),0,{})))JS";

TEST(Packer, FindsAndUnpacks) {
  std::string js = std::string("/* kit */\n") + kPacked + "\nvar other = 1;";
  size_t at = FindPacker(js);
  ASSERT_NE(at, std::string::npos);
  std::string out;
  size_t consumed = 0;
  ASSERT_TRUE(Unpack(js, at, out, 1 << 20, consumed));
  EXPECT_EQ(out, "var e='info@scam-mail.top';var u='https://panel.kit-drop.xyz/gate.php';"
                 "document.getElementById('c').innerHTML=e;");
  EXPECT_GT(consumed, 100u);
}

TEST(Packer, SpacedVariantIsFound) {
  EXPECT_NE(FindPacker("eval (function (p, a, c, k, e, d) {return p}('x',2,1,'y'.split('|'),0,{}))"),
            std::string::npos);
  EXPECT_EQ(FindPacker("function pack(p,q){}"), std::string::npos);
}

TEST(Packer, RefusesOtherShapesAndHonoursTheCap) {
  std::string out;
  size_t consumed = 0;
  EXPECT_FALSE(Unpack("eval(function(p,a,c,k,e,d){return p}(payload,62,3,k,0,{}))", 0, out, 1 << 20, consumed));
  EXPECT_FALSE(Unpack("eval(function(p,a,c,k,e,d){return p}('0 1',99,2,'a|b'.split('|'),0,{}))", 0, out, 1 << 20,
                      consumed));  // base 99 is not the packer's
  EXPECT_FALSE(Unpack(kPacked, 0, out, 10, consumed));  // more than 10 bytes out
  EXPECT_LE(out.size(), 10u);
}

}  // namespace
}  // namespace dragnet::extractors::deob

namespace dragnet::extractors::deob {
namespace {

// Moving on with FindPacker(js, at + 1) always moves forward: an "eval" just
// before `from` is not handed back (deobfuscate_fuzz found that loop), and
// many decoy "function(p,a,c,k,e" cost one pass, not one per decoy.
TEST(Packer, SearchOnlyMovesForwardAndStaysLinear) {
  std::string js = "eval function(p,a,c,k,e) eval(function(p,a,c,k,e,d){}";
  size_t first = FindPacker(js);
  ASSERT_EQ(first, 0u);
  size_t second = FindPacker(js, first + 1);
  EXPECT_EQ(second, js.find("eval(function"));
  EXPECT_EQ(FindPacker(js, second + 1), std::string::npos);
  std::string decoys;
  for (int i = 0; i < 20000; ++i) decoys += "function(p,a,c,k,e ";
  EXPECT_EQ(FindPacker(decoys), std::string::npos);
  const std::string far = decoys + "eval" + std::string(20, ' ') + decoys;
  int steps = 0;
  for (size_t at = FindPacker(far); at != std::string::npos && steps < 10; at = FindPacker(far, at + 1)) ++steps;
  EXPECT_EQ(steps, 0) << "'eval' more than 8 bytes before 'function' is not a packer call";
}

}  // namespace
}  // namespace dragnet::extractors::deob
