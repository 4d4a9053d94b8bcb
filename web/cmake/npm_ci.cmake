cmake_minimum_required(VERSION 3.25)
# Installs web/'s npm packages from the committed lockfile, only when needed: when
# node_modules is missing or older than package-lock.json. Run as `cmake -P` with
# -DWEB_DIR=<web/> -DNPM=<npm>. Never downloads a browser (Playwright drives Debian's Chromium).
set(installed "${WEB_DIR}/node_modules/.package-lock.json")
if(EXISTS "${installed}" AND NOT "${WEB_DIR}/package-lock.json" IS_NEWER_THAN "${installed}")
  return()
endif()
set(ENV{PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD} 1)
message(STATUS "web: npm ci")
execute_process(COMMAND "${NPM}" ci --no-audit --no-fund --loglevel=error
                WORKING_DIRECTORY "${WEB_DIR}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "web: npm ci failed (${result})")
endif()
