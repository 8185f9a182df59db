# One way to declare a library and one way to declare a test, like abseil's
# absl_cc_library: every module uses these and nothing else.
#
#   dragnet_library(NAME crawler SRCS a.cc b.cc DEPS dragnet::core dep::curl)
#     -> static library target dragnet_crawler, alias dragnet::crawler.
#        Headers are included as "crawler/x.h" from the repository root.
#
#   dragnet_test(NAME url_test SRCS url_test.cc DEPS dragnet::core [LABELS unit])
#     -> a GoogleTest executable registered with ctest (gtest_discover_tests).
function(dragnet_library)
  cmake_parse_arguments(L "" "NAME" "SRCS;DEPS" ${ARGN})
  if(NOT L_SRCS)
    # A module with no sources yet is header-only: an INTERFACE library.
    add_library(dragnet_${L_NAME} INTERFACE)
    add_library(dragnet::${L_NAME} ALIAS dragnet_${L_NAME})
    target_include_directories(dragnet_${L_NAME} INTERFACE
      ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/generated)
    target_link_libraries(dragnet_${L_NAME} INTERFACE ${L_DEPS})
    return()
  endif()
  add_library(dragnet_${L_NAME} STATIC ${L_SRCS})
  add_library(dragnet::${L_NAME} ALIAS dragnet_${L_NAME})
  target_include_directories(dragnet_${L_NAME} PUBLIC
    ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/generated)
  target_link_libraries(dragnet_${L_NAME} PUBLIC ${L_DEPS})
endfunction()

function(dragnet_test)
  cmake_parse_arguments(T "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  # DRAGNET_ALLOW_MISSING_TESTS (a developer's shared-tree convenience, never
  # set in CI): a test whose source file does not exist yet is left out with
  # a warning instead of failing the configure step.
  if(DRAGNET_ALLOW_MISSING_TESTS)
    foreach(src ${T_SRCS})
      if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${src})
        message(WARNING "test ${T_NAME} left out: ${src} does not exist yet")
        return()
      endif()
    endforeach()
  endif()
  add_executable(${T_NAME} ${T_SRCS})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${T_NAME} PRIVATE
    DRAGNET_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    DRAGNET_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  include(GoogleTest)
  gtest_discover_tests(${T_NAME} PROPERTIES LABELS "${T_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()
