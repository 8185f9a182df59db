#pragma once
// Dean Edwards' packer (http://dean.edwards.name/packer/), still the most
// common wrapper of phishing-kit scripts:
//   eval(function(p,a,c,k,e,d){...}('0 1=\'2@3.4\';',62,5,'var|x|info|evil|com'.split('|'),0,{}))
// The payload p has every word replaced by its index in base a (digits, then
// a-z, then A-Z for a > 36); k lists the words. Unpacking puts each word
// back where its index stands, as the packer's own decoder does, without
// running it. Base 62 and smaller are supported (the "Normal" and "Numeric"
// encodings; the "High ASCII" one, a = 95, is rare and left alone).
//
// Pure functions; safe from any thread. The output is bounded by `max_out`.

#include <string>
#include <string_view>

namespace dragnet::extractors::deob {

// Where the first packer call starts in `js` ("eval(function(p,a,c,k,e,"),
// or npos. Spacing and the last parameter names vary; p,a,c,k,e is fixed.
size_t FindPacker(std::string_view js, size_t from = 0);

// Unpacks the packer call starting at `js[at]` into `out`. False when the
// call's arguments are not the literal shape above, or the result would
// exceed `max_out` bytes. `consumed` is set to the length of the call read.
bool Unpack(std::string_view js, size_t at, std::string& out, size_t max_out, size_t& consumed);

}  // namespace dragnet::extractors::deob
