# Every third-party library Dragnet links, found the Debian 12 way
# (see ../shared/LIBRARIES.md). Each becomes an IMPORTED target dep::NAME.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)

foreach(spec
    "curl:libcurl" "gumbo:gumbo" "maxminddb:libmaxminddb" "hiredis:hiredis"
    "toml:tomlplusplus" "re2:re2" "hs:libhs" "cares:libcares" "psl:libpsl"
    "idn2:libidn2" "sqlite3:sqlite3" "zlib:zlib" "cli11:CLI11"
    "sodium:libsodium" "murmurhash:libmurmurhash")
  string(REPLACE ":" ";" parts "${spec}")
  list(GET parts 0 name)
  list(GET parts 1 module)
  pkg_check_modules(${name} REQUIRED IMPORTED_TARGET ${module})
  add_library(dep::${name} ALIAS PkgConfig::${name})
endforeach()

# libphonenumber ships no pkg-config file.
find_library(PHONENUMBER_LIB phonenumber REQUIRED)
find_library(PROTOBUF_LIB protobuf REQUIRED)
pkg_check_modules(icu REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
add_library(dep_phonenumber INTERFACE)
target_link_libraries(dep_phonenumber INTERFACE ${PHONENUMBER_LIB} ${PROTOBUF_LIB} PkgConfig::icu)
add_library(dep::phonenumber ALIAS dep_phonenumber)

# cpp-httplib: Debian ships it split (header + libcpp-httplib.so).
pkg_check_modules(httplib REQUIRED IMPORTED_TARGET cpp-httplib)
add_library(dep_httplib INTERFACE)
target_link_libraries(dep_httplib INTERFACE PkgConfig::httplib Threads::Threads OpenSSL::SSL)
add_library(dep::httplib ALIAS dep_httplib)

if(DRAGNET_TESTS)
  find_package(GTest REQUIRED)
endif()
if(DRAGNET_BENCH)
  find_package(benchmark REQUIRED)
endif()

# kainjow mustache (libkainjow-mustache-dev): header-only templates for the
# web console (web/), HTML escaping on by default.
find_path(MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED)
add_library(dep_mustache INTERFACE)
target_include_directories(dep_mustache INTERFACE ${MUSTACHE_INCLUDE_DIR})
add_library(dep::mustache ALIAS dep_mustache)
