// Every endpoint of the listener, registered in one place (api/routes.cc). Adding an endpoint is
// one Route there and its handler in api/.
#pragma once

#include <cstddef>

#include "api/route_table.h"

namespace parkwatch {

// Admin endpoints take small JSON bodies (a silence, an acknowledgement); more is refused.
constexpr size_t kMaxAdminBodyBytes = 64 << 10;

// Registers every route into table. Ingest bodies may be max_ingest_body_bytes
// (web.max_body_bytes). The index route reads table, which must outlive it.
void RegisterRoutes(RouteTable& table, size_t max_ingest_body_bytes);

}  // namespace parkwatch
