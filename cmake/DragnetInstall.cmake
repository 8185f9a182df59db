# Install rules and the Debian package (CPack).
#
#   cmake --install build --prefix /usr     the binary in /usr/bin, data in
#                                           /usr/share/dragnet, docs in
#                                           /usr/share/doc/dragnet
#   (cd build && cpack -G DEB)              dragnet_<version>_<arch>.deb with
#                                           the above, /etc/dragnet/dragnet.toml
#                                           (a conffile), the systemd unit and a
#                                           `dragnet` system user (postinst)
#
# The binary finds its data relative to itself (<bin>/../share/dragnet,
# app/config.cc DataDir), so a package unpacked into any folder tree runs
# with its own data; tests/install/package_test.sh checks exactly that.
include(GNUInstallDirs)

install(TARGETS dragnet RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Data: everything DataDir() names (brands, rules, contacts, CDN ranges,
# lexicons, platforms, takedown signals, templates, the RDAP bootstrap
# snapshot, the country database when scripts/build-geoip-mmdb built it).
set(DRAGNET_DATA_DEST ${CMAKE_INSTALL_DATADIR}/dragnet)
install(FILES
  config/brands.toml config/cdn.toml config/contacts.toml config/lexicons.toml
  config/platforms.toml config/rules.toml config/takedown.toml
  DESTINATION ${DRAGNET_DATA_DEST})
install(DIRECTORY config/templates config/rdap DESTINATION ${DRAGNET_DATA_DEST})
# The console's templates and static files (web/options.h AssetsDir).
install(DIRECTORY web/templates web/static DESTINATION ${DRAGNET_DATA_DEST}/web)
if(EXISTS ${PROJECT_SOURCE_DIR}/config/geo/dragnet-country.mmdb)
  install(FILES config/geo/dragnet-country.mmdb DESTINATION ${DRAGNET_DATA_DEST}/geo)
endif()
install(FILES config/dragnet.example.toml DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")

# The package alone: the config in /etc and the unit where systemd looks.
# Absolute destinations, so kept out of a plain `cmake --install` (which
# must never write to the real /etc); the package takes every component.
install(FILES config/dragnet.example.toml DESTINATION /etc/dragnet RENAME dragnet.toml
        COMPONENT system EXCLUDE_FROM_ALL)
install(FILES config/dragnet.service DESTINATION /lib/systemd/system COMPONENT system EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_COMPONENTS_ALL Unspecified system)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_PACKAGE_NAME dragnet)
set(CPACK_PACKAGE_VENDOR "Dragnet")
set(CPACK_PACKAGE_CONTACT "Dragnet maintainers <dragnet@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "fraud-site crawler, evidence keeper and takedown reporter")
set(CPACK_PACKAGE_DESCRIPTION
  "Dragnet crawls suspected fraud sites (phishing, fake shops, investment and\n task scams), keeps tamper-evident evidence, locates who can take each site\n down and reports it to them, follows up until it is gone, and shares what it\n learns (campaigns, STIX 2.1, MISP).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "redis-server, chromium")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${PROJECT_SOURCE_DIR}/config/debian/conffiles
  ${PROJECT_SOURCE_DIR}/config/debian/postinst)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
