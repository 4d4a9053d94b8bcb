cmake_minimum_required(VERSION 3.25)
# Builds the Benefits page against benefitd's own OpenAPI document. Run as `cmake -P` with
# -DWEB_DIR=<web/> -DOUT_DIR=<build dir> -DOPENAPI=<benefitd-openapi> -DNODE=<node>.
#   1. benefitd-openapi prints the document -> OUT_DIR/openapi.json
#   2. openapi-typescript turns it into OUT_DIR/generated/schema.d.ts (imported as @api/schema)
#   3. tsc --noEmit typechecks the page against it: a field the page uses that the document
#      lacks fails the build
#   4. vite build writes index.html and content-hashed assets to OUT_DIR/dist
function(run step)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${WEB_DIR}" RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "web: ${step} failed (${result})")
  endif()
endfunction()

set(bin "${WEB_DIR}/node_modules/.bin")
file(MAKE_DIRECTORY "${OUT_DIR}/generated")
run("benefitd-openapi" "${OPENAPI}" OUTPUT_FILE "${OUT_DIR}/openapi.json")
run("openapi-typescript" "${NODE}" "${bin}/openapi-typescript" "${OUT_DIR}/openapi.json"
    -o "${OUT_DIR}/generated/schema.d.ts" --silent OUTPUT_QUIET)
file(WRITE "${OUT_DIR}/tsconfig.json" "{
  \"extends\": \"${WEB_DIR}/tsconfig.json\",
  \"compilerOptions\": {\"paths\": {\"@api/schema\": [\"${OUT_DIR}/generated/schema.d.ts\"]}},
  \"include\": [\"${WEB_DIR}/src\", \"${OUT_DIR}/generated\"]
}
")
run("tsc" "${NODE}" "${bin}/tsc" --noEmit -p "${OUT_DIR}/tsconfig.json")
run("vite build" "${NODE}" "${bin}/vite" build --logLevel warn --outDir "${OUT_DIR}/dist" --emptyOutDir)
