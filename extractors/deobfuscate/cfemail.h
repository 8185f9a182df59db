#pragma once
// Cloudflare "Email Address Obfuscation": Cloudflare rewrites every address
// of a page it proxies into
//   <a href="/cdn-cgi/l/email-protection" class="__cf_email__"
//      data-cfemail="422b2c242d02...">[email&#160;protected]</a>
// or a link to "/cdn-cgi/l/email-protection#422b2c24...", and a script puts
// the address back in the browser. The hex string is a one-byte key followed
// by the address's bytes each XORed with the key.
//
// Pure functions; safe from any thread. The output is half the input's length.

#include <string>
#include <string_view>

namespace dragnet::extractors::deob {

// Decodes a data-cfemail value (or the fragment of an email-protection link)
// into `out`. False when it is not an even number (>= 4) of hex digits or the
// result is not printable ASCII text.
bool DecodeCfEmail(std::string_view hex, std::string& out);

// The hex payload of a URL that names Cloudflare's email-protection path
// ("/cdn-cgi/l/email-protection#<hex>", absolute or relative), or empty.
std::string_view CfEmailFragment(std::string_view url);

}  // namespace dragnet::extractors::deob
