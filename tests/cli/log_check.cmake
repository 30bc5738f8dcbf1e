# tests/cli/log_check.cmake: runs hvemu with -D LOG and checks the log.
#   cmake -DHVEMU=... -DLOG=file "-DARGS=hvemu arguments" "-DEXPECT=regex;regex;..." -P log_check.cmake
# The run must exit with status 0 and every regex must match a line of the log (the
# regexes are CMake regexes, matched line by line). The test fails naming each regex
# that matched nothing, with the head of the log to compare against.
cmake_minimum_required(VERSION 3.19)
separate_arguments(args UNIX_COMMAND "${ARGS}")
file(REMOVE ${LOG})
execute_process(COMMAND ${HVEMU} ${args} -nographic -D ${LOG}
  INPUT_FILE /dev/null OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 60)
if(NOT "${rc}" STREQUAL "0")
  message(FATAL_ERROR "hvemu ${ARGS} exited with ${rc}\n${out}\n${err}")
endif()
if(NOT EXISTS ${LOG})
  message(FATAL_ERROR "hvemu wrote no log to ${LOG}")
endif()
file(STRINGS ${LOG} lines)
set(missing "")
foreach(re IN LISTS EXPECT)
  set(found FALSE)
  foreach(line IN LISTS lines)
    if(line MATCHES "${re}")
      set(found TRUE)
      break()
    endif()
  endforeach()
  if(NOT found)
    string(APPEND missing "\n  ${re}")
  endif()
endforeach()
if(missing)
  list(LENGTH lines n)
  list(SUBLIST lines 0 40 head)
  list(JOIN head "\n" head)
  message(FATAL_ERROR "hvemu ${ARGS}: ${LOG} (${n} lines) has no line matching:${missing}\n"
                      "first lines of the log:\n${head}")
endif()
message("${LOG}: every expected line is there")
