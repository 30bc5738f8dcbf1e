execute_process(COMMAND ${HVEMU} -M virt -smp 2 -m 256M -kernel ${IMAGE} -append "console=ttyS0 x=1"
  -dumpdtb ${OUT} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "-dumpdtb failed (${rc}): ${err}")
endif()
execute_process(COMMAND dtc -I dtb -O dts ${OUT} RESULT_VARIABLE rc OUTPUT_VARIABLE dts ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dtc cannot read the blob: ${err}")
endif()
foreach(want "riscv,isa-extensions" "cpu@1" "timebase-frequency = <0x989680>"
             "bootargs = \"console=ttyS0 x=1\"" "memory@80000000" "riscv,plic0"
             "ns16550a" "sifive,test1" "virtio,mmio" "reg = <0x00 0x80000000 0x00 0x10000000>")
  string(FIND "${dts}" "${want}" pos)
  if(pos EQUAL -1)
    message(FATAL_ERROR "the device tree lacks '${want}':\n${dts}")
  endif()
endforeach()
