# cmake -DIN=<file> -DOUT=<file.cc> -DNAMESPACE=<ns> -DFUNCTION=<name> -P cmake/EmbedText.cmake
# Writes a C++ source defining `std::string_view <ns>::<name>()` that returns
# the bytes of IN (used to compile config files in as defaults).
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}.tmp"
  "// Generated from ${IN} by cmake/EmbedText.cmake; do not edit.\n"
  "#include <string_view>\n"
  "namespace ${NAMESPACE} {\n"
  "namespace {\n"
  "const char kData[] = {${bytes}0};\n"
  "}  // namespace\n"
  "std::string_view ${FUNCTION}() { return std::string_view(kData, sizeof(kData) - 1); }\n"
  "}  // namespace ${NAMESPACE}\n")
file(RENAME "${OUT}.tmp" "${OUT}")
