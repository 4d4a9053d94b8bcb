#pragma once
// The Benefits page's built files (index.html and its content-hashed assets), embedded by the
// build: web/cmake/embed_page.cmake generates the definition from web/'s `vite build` output.
// Thread safety: immutable static data.

#include <span>

#include "adapters/http/page_assets.h"

namespace benefitd::http {

/// Every file of the built page; holds "/index.html".
std::span<const PageAsset> page_bundle();

}  // namespace benefitd::http
