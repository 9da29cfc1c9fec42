#pragma once
// The web UI's files, compiled into the binary (cmake/embed_assets.cmake writes the table from
// src/dev_agent/ui/web/), and the content type each is served with.

#include <span>
#include <string_view>

namespace coconsul::dev {

struct embedded_asset {
  std::string_view path;   // relative to /ui/, e.g. "assets/app.js"
  std::string_view bytes;
};

// Every file of the UI (generated source).
std::span<const embedded_asset> embedded_assets();

// The asset at `path` (relative to /ui/), or null.
const embedded_asset* find_asset(std::string_view path);

// "text/html; charset=utf-8", "text/javascript; charset=utf-8", ... by the path's extension.
std::string_view asset_content_type(std::string_view path);

}  // namespace coconsul::dev
