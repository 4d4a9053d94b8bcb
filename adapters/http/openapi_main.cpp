// benefitd-openapi: prints the OpenAPI document that benefitd serves at /openapi.json, so that
// builds (the web page's type generation, the contract tests) read it without starting a
// server. Takes no arguments; writes the JSON document and a newline to stdout.

#include <iostream>

#include "adapters/http/openapi.h"

int main(int argc, char**) {
  if (argc != 1) {
    std::cerr << "usage: benefitd-openapi\n  prints the OpenAPI document of benefitd's HTTP API as JSON\n";
    return 2;
  }
  std::cout << benefitd::http::openapi_document().dump(2) << '\n';
  return std::cout.good() ? 0 : 1;
}
