# tests/guest/run_guest.cmake: runs one guest test program under hvemu and decides the
# verdict. Invoked by ctest as
#   cmake -DHVEMU=... -DLOAD=-bios|-kernel -DELF=... -DARGS="..." -DTIMEOUT=s -P run_guest.cmake
# The test passes only if hvemu exits with status 0, the console shows the program's
# closing line "SUMMARY: N passed, 0 failed" with N > 0, and no line reports FAIL.
separate_arguments(extra UNIX_COMMAND "${ARGS}")
if(NOT MACHINE)
  set(MACHINE virt)
endif()
set(cmd ${HVEMU} -M ${MACHINE} ${extra} -nographic ${LOAD} ${ELF})
string(REPLACE ";" " " cmd_text "${cmd}")
message("running: ${cmd_text}")
execute_process(
  COMMAND ${cmd}
  INPUT_FILE /dev/null
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc
  TIMEOUT ${TIMEOUT})
message("${out}")
if(err)
  message("stderr:\n${err}")
endif()
set(problems "")
if(NOT "${rc}" STREQUAL "0")
  list(APPEND problems "hvemu exit status: ${rc}")
endif()
if(NOT out MATCHES "SUMMARY: [1-9][0-9]* passed, 0 failed")
  list(APPEND problems "no 'SUMMARY: N passed, 0 failed' line")
endif()
if(out MATCHES "(^|\n)FAIL:")
  list(APPEND problems "FAIL lines in the output")
endif()
if(problems)
  string(REPLACE ";" "; " problems "${problems}")
  message(FATAL_ERROR "guest test failed: ${problems}")
endif()
