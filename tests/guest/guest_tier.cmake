# tests/guest/guest_tier.cmake: guest_tier(), the manifest-driven build of one architecture's
# guest tests, shared by tests/guest/riscv, ppc64 and booke.
#
#   guest_tier(NAME tier CC compiler MACHINE machine LABELS "guest;..." WHAT "description"
#              CFLAGS flags... SOURCES library sources... HEADERS globs...
#              [MODES M_FLAGS flags... S_FLAGS flags...])
#
# Every line of the calling folder's manifest.txt is one ctest entry named
# guest.<tier>.<test>: `test-name program timeout [hvemu arguments...]`, or with MODES
# `test-name program m|s timeout [...]` (an M-mode program is loaded with -bios and built
# with M_FLAGS, an S-mode one with -kernel and S_FLAGS; without MODES programs load with
# -kernel). Arguments starting with `-M <machine>` replace MACHINE. A program is built once
# from <program>.c and the library sources; the entry runs tests/guest/run_guest.cmake.
# Sets GUEST_TIER_ELFS in the caller to the list of built programs.
function(guest_tier)
  cmake_parse_arguments(PARSE_ARGV 0 G "MODES" "NAME;CC;MACHINE;LABELS;WHAT"
                        "CFLAGS;SOURCES;HEADERS;M_FLAGS;S_FLAGS")
  file(GLOB headers ${G_HEADERS})
  set(manifest ${CMAKE_CURRENT_SOURCE_DIR}/manifest.txt)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${manifest})
  file(STRINGS ${manifest} lines)
  set(elfs "")
  set(built "")
  foreach(line IN LISTS lines)
    string(STRIP "${line}" line)
    if(line STREQUAL "" OR line MATCHES "^#")
      continue()
    endif()
    set(mode "")
    if(G_MODES)
      string(REGEX MATCH "^([A-Za-z0-9_.-]+)[ \t]+([A-Za-z0-9_]+)[ \t]+([ms])[ \t]+([0-9]+)[ \t]*(.*)$" ok "${line}")
      set(mode ${CMAKE_MATCH_3})
      set(timeout ${CMAKE_MATCH_4})
      set(args "${CMAKE_MATCH_5}")
    else()
      string(REGEX MATCH "^([A-Za-z0-9_.-]+)[ \t]+([A-Za-z0-9_]+)[ \t]+([0-9]+)[ \t]*(.*)$" ok "${line}")
      set(timeout ${CMAKE_MATCH_3})
      set(args "${CMAKE_MATCH_4}")
    endif()
    if(NOT ok)
      message(FATAL_ERROR "${manifest}: cannot parse line '${line}'")
    endif()
    set(test ${CMAKE_MATCH_1})
    set(prog ${CMAKE_MATCH_2})
    set(machine ${G_MACHINE})
    if(args MATCHES "^-M[ \t]+([^ \t]+)[ \t]*(.*)$")
      set(machine ${CMAKE_MATCH_1})
      set(args "${CMAKE_MATCH_2}")
    endif()
    set(load -kernel)
    set(mode_flags "")
    set(stem ${prog})
    if(mode STREQUAL "m")
      set(load -bios)
      set(mode_flags ${G_M_FLAGS})
      set(stem ${prog}-m)
    elseif(mode STREQUAL "s")
      set(mode_flags ${G_S_FLAGS})
      set(stem ${prog}-s)
    endif()
    set(elf ${CMAKE_CURRENT_BINARY_DIR}/${stem}.elf)
    if(NOT "${stem}" IN_LIST built)
      list(APPEND built "${stem}")
      add_custom_command(
        OUTPUT ${elf}
        COMMAND ${G_CC} ${G_CFLAGS} ${mode_flags}
                ${G_SOURCES} ${CMAKE_CURRENT_SOURCE_DIR}/${prog}.c -lgcc -o ${elf}
        DEPENDS ${G_SOURCES} ${headers} ${CMAKE_CURRENT_SOURCE_DIR}/${prog}.c
        COMMENT "Cross-compiling ${G_WHAT} guest test ${stem}"
        VERBATIM)
      list(APPEND elfs ${elf})
    endif()
    add_test(NAME guest.${G_NAME}.${test}
      COMMAND ${CMAKE_COMMAND} -DHVEMU=$<TARGET_FILE:hvemu> -DMACHINE=${machine}
              -DLOAD=${load} -DELF=${elf} "-DARGS=${args}" -DTIMEOUT=${timeout}
              -P ${GUEST_RUNNER})
    math(EXPR ctest_timeout "${timeout} + 30")
    set_tests_properties(guest.${G_NAME}.${test} PROPERTIES LABELS "${G_LABELS}"
                         TIMEOUT ${ctest_timeout})
  endforeach()
  add_custom_target(guest_${G_NAME} ALL DEPENDS ${elfs})
  set(GUEST_TIER_ELFS ${elfs} PARENT_SCOPE)
endfunction()
