#pragma once
// RefangSeed: turns what analysts paste into a URL Dragnet can parse.
//
// Threat feeds, tickets and chat defang URLs so nobody clicks them:
// `hxxp://evil[.]com/login`, `hXXps[:]//pay(.)example[.]net`,
// `evil[dot]com`. A seed may also be a bare domain (`evil.com`,
// `evil.com/login`). RefangSeed undoes the common forms and gives a bare
// domain the scheme http:// (a site that prefers https redirects; the crawl
// follows). It only rewrites: whether the result is a valid URL is for
// ParseUrl to say, with the original text kept by the caller for messages.
//
// Forms undone (ASCII case-insensitive): hxxp, hxxps, hXXp, h**p (scheme);
// [.] (.) {.} [dot] (dot) {dot} -> "."; [:] -> ":"; [://] -> "://";
// [/] -> "/" ("[@]" stays: see refang.cc). A leading `<` and trailing `>` (mail clients)
// are dropped. Pure function; thread-safe.

#include <string>
#include <string_view>

namespace dragnet {

std::string RefangSeed(std::string_view text);

// Whether RefangSeed(text) differs from text (the seed was defanged or bare).
bool LooksDefanged(std::string_view text);

}  // namespace dragnet
