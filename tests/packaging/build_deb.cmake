# cmake -DCPACK=... -DBUILD_DIR=... -DOUT_DIR=... -P build_deb.cmake: the Debian package of BUILD_DIR as
# it is built, into an emptied OUT_DIR (the package tests' fixture).
file(REMOVE_RECURSE ${OUT_DIR})
file(MAKE_DIRECTORY ${OUT_DIR})
execute_process(COMMAND ${CPACK} --config ${BUILD_DIR}/CPackConfig.cmake -B ${OUT_DIR}
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cpack failed: ${result}")
endif()
