# Writes the machine's device tree with -dumpdtb, then boots Linux with it through -dtb;
# /chosen gets the new command line, so the marker proves the blob was used.
execute_process(COMMAND ${RUN} --env ${ENVF} --timeout 60 -- ${HVEMU} -M virt -m 1G
  -kernel @KERNEL@ -initrd @INITRD@ -append "placeholder" -dumpdtb ${DTB}
  RESULT_VARIABLE rc OUTPUT_VARIABLE log)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "-dumpdtb failed:\n${log}")
endif()
execute_process(COMMAND ${RUN} --env ${ENVF} --timeout 600
  --expect "Kernel command line: console=ttyS0 hvemu.mode=test hvemu.dtb=user"
  --expect "HVEMU-TEST-PASS" -- ${HVEMU} -M virt -m 1G -nographic -kernel @KERNEL@
  -initrd @INITRD@ -dtb ${DTB} -append "console=ttyS0 hvemu.mode=test hvemu.dtb=user"
  RESULT_VARIABLE rc OUTPUT_VARIABLE log)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "boot with -dtb failed:\n${log}")
endif()
