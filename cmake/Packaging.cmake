# The Debian package (docs/operations.md "Install"): CPack's DEB generator over this build's
# install rules. Any configured build dir can be packaged with
#   cpack --config BUILD_DIR/CPackConfig.cmake -B OUT_DIR
# scripts/package does it for a Release build in build-package/; the package test
# (tests/packaging) does it for the test build, so CI checks the package without a second build.
#
# The package holds what the install rules name: benefitd and benefitctl (bin), the catalog
# (share/benefitd, found by benefitd beside its program), bash completion, the man pages made
# here from --help, every unit in packaging/systemd/, the conffile /etc/benefitd/benefitd.conf
# and docs/operations.md; its maintainer scripts are packaging/debian/.

set(BENEFITD_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/packaging)

# Man pages from each program's --help and --version (Debian's help2man) with the sections
# of packaging/man/PROGRAM.h2m, gzipped as Debian ships them. They are part of the default
# build so that any build dir can be packaged.
find_program(HELP2MAN_EXECUTABLE help2man)
if(HELP2MAN_EXECUTABLE AND TARGET benefitd AND TARGET benefitctl)
  set(man_dir ${CMAKE_BINARY_DIR}/man)
  set(benefitd_man_name "partner-program membership benefits over HTTP")
  set(benefitctl_man_name "command-line client and offline tools for benefitd")
  set(man_pages)
  foreach(program benefitd benefitctl)
    add_custom_command(
      OUTPUT ${man_dir}/${program}.1.gz
      COMMAND ${CMAKE_COMMAND} -E make_directory ${man_dir}
      COMMAND ${HELP2MAN_EXECUTABLE} --no-info --section 1 --name ${${program}_man_name}
              --include ${BENEFITD_PACKAGING_DIR}/man/${program}.h2m
              --output ${man_dir}/${program}.1 $<TARGET_FILE:${program}>
      COMMAND gzip -9nf ${man_dir}/${program}.1
      DEPENDS ${program} ${BENEFITD_PACKAGING_DIR}/man/${program}.h2m
      COMMENT "help2man ${program}"
      VERBATIM)
    list(APPEND man_pages ${man_dir}/${program}.1.gz)
  endforeach()
  add_custom_target(benefitd_man_pages ALL DEPENDS ${man_pages})
  install(FILES ${man_pages} DESTINATION share/man/man1)
else()
  message(STATUS "help2man not found: no man pages in the package (scripts/install-deps installs it)")
endif()

# Units: whatever packaging/systemd/ holds, so that a new service or timer needs no change here.
file(GLOB benefitd_units CONFIGURE_DEPENDS
     ${BENEFITD_PACKAGING_DIR}/systemd/*.service ${BENEFITD_PACKAGING_DIR}/systemd/*.timer
     ${BENEFITD_PACKAGING_DIR}/systemd/*.socket)
install(FILES ${benefitd_units} DESTINATION lib/systemd/system)
# An absolute destination: the config file belongs in /etc whatever the prefix.
install(FILES ${BENEFITD_PACKAGING_DIR}/benefitd.conf DESTINATION /etc/benefitd)
install(FILES ${PROJECT_SOURCE_DIR}/docs/operations.md DESTINATION share/doc/benefitd)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME benefitd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "benefitd maintainers <benefitd@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "partner-program membership benefits over HTTP")
set(CPACK_PACKAGE_DESCRIPTION
    "benefitd is an event-sourced workflow engine for partner-program membership benefits: an\n\
HTTP server (benefitd) with its data in RocksDB, run as a systemd service, and a command-line\n\
client with offline tools (benefitctl).")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Debian ships programs without their debug symbols.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The shared libraries the programs link, found by dpkg-shlibdeps; deb-systemd-helper for the
# maintainer scripts.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "init-system-helpers")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${BENEFITD_PACKAGING_DIR}/debian/conffiles ${BENEFITD_PACKAGING_DIR}/debian/postinst
    ${BENEFITD_PACKAGING_DIR}/debian/prerm ${BENEFITD_PACKAGING_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
