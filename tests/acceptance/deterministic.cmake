# Boots the same Linux command twice with -smp 2 and compares the console output.
foreach(n 1 2)
  execute_process(COMMAND ${RUN} --env ${ENVF} --timeout 600 --output ${OUT}.${n}.txt
    --expect "HVEMU-TEST-PASS" -- ${HVEMU} -M virt -m 512M -smp 2 -nographic
    -kernel @KERNEL@ -initrd @INITRD@ -append "console=ttyS0 hvemu.mode=test"
    RESULT_VARIABLE rc OUTPUT_VARIABLE log)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "run ${n} failed:\n${log}")
  endif()
endforeach()
file(READ ${OUT}.1.txt a)
file(READ ${OUT}.2.txt b)
if(NOT a STREQUAL b)
  message(FATAL_ERROR "two runs of the same command printed different console output "
                      "(${OUT}.1.txt, ${OUT}.2.txt)")
endif()
string(LENGTH "${a}" len)
message(STATUS "identical console output, ${len} bytes")
