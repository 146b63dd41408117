# Installation and the Debian package (docs/install.md), included by the top-level CMakeLists.txt.
#
#   cmake --install build/release [--prefix DIR]     bin/usbexfil, share/man/man1/usbexfil.1,
#                                                    bash and zsh completions, share/doc/usbexfil
#   cd build/release && cpack -G DEB                 usbexfil_<version>-1_<arch>.deb
#
# The man page is generated after the binary is linked, from its own --help (scripts/make-manpage),
# so it says what --help says. The package's dependencies are found by dpkg-shlibdeps (Debian
# package dpkg-dev) from the libraries the binary links. tests/packaging/ checks all of it.
include(GNUInstallDirs)

install(TARGETS usbexfil RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# usbexfil.1. Not when cross-compiling: the binary cannot run here to print its help.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND AND NOT CMAKE_CROSSCOMPILING)
  set(USBEXFIL_MANPAGE ${CMAKE_CURRENT_BINARY_DIR}/usbexfil.1)
  add_custom_command(
    OUTPUT ${USBEXFIL_MANPAGE}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/scripts/make-manpage
            $<TARGET_FILE:usbexfil> ${USBEXFIL_MANPAGE} --docdir ${CMAKE_INSTALL_FULL_DOCDIR}
    DEPENDS usbexfil ${CMAKE_CURRENT_SOURCE_DIR}/scripts/make-manpage
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    COMMENT "Generating usbexfil.1 from usbexfil --help"
    VERBATIM)
  add_custom_target(usbexfil_manpage ALL DEPENDS ${USBEXFIL_MANPAGE})
  install(FILES ${USBEXFIL_MANPAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "usbexfil.1 is not generated (no python3, or cross-compiling)")
endif()

# Completions, where bash-completion and Debian's zsh look for them.
install(FILES scripts/completions/usbexfil.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME usbexfil)
install(FILES scripts/completions/_usbexfil
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

# The documentation, laid out as in the repository so that README.md's links work.
install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs FILES_MATCHING PATTERN "*.md")

if(PROJECT_IS_TOP_LEVEL)
  set(USBEXFIL_PACKAGE_MAINTAINER
      "usbexfil maintainers <maintainers@users.noreply.r-seed-c7feaaca.example>"
      CACHE STRING "The Maintainer field of the Debian package")
  set(CPACK_PACKAGE_NAME usbexfil)
  set(CPACK_PACKAGE_VENDOR "The usbexfil authors")
  set(CPACK_PACKAGE_CONTACT "${USBEXFIL_PACKAGE_MAINTAINER}")
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
      "Sentinel's USB exfiltration rule, run offline over exported tables")
  set(CPACK_PACKAGE_DESCRIPTION
      "usbexfil runs the Microsoft Sentinel analytic rule 'Mass Download & copy to USB device\n\
by single user' offline, over exports of the four tables it correlates (SecurityAlert,\n\
CloudAppEvents, DeviceFileEvents, DeviceEvents), and prints the findings Sentinel\n\
would give, as JSON lines. It reads the shapes those tables are exported in (JSON\n\
lines, Log Analytics and Defender exports, API responses, portal CSV), compressed\n\
or archived, and streams them on all cores.")
  set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE)
  set(CPACK_GENERATOR DEB)
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  set(CPACK_STRIP_FILES ON)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
  set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${USBEXFIL_PACKAGE_MAINTAINER}")
  set(CPACK_DEBIAN_PACKAGE_SECTION utils)
  set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_SUGGESTS "jq")
  include(CPack)
endif()
