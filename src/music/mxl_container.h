// Compressed MusicXML (.mxl): a zip archive whose META-INF/container.xml names the score.
//
// mxl_root_document() returns the bytes of the score file the container names: the one
// rootfile with media-type "application/vnd.recordare.musicxml+xml" or with no media-type
// (other rootfiles, e.g. a PNG preview, are skipped). Entry names are compared as their raw
// bytes (UTF-8 in practice), as note_seq does after re-decoding names without the UTF-8 flag.
//
// Failure: a bad zip, a missing or malformed container, no or several candidate rootfiles, a
// missing entry, or an entry that inflates beyond kMaxMxlEntryBytes throws InputError naming
// `source_name` and the problem. Memory grows only with the bytes actually inflated, never
// with the size an entry claims. Pure function, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace prnn {

inline constexpr size_t kMaxMxlEntryBytes = size_t{256} << 20;

bool looks_like_zip(std::string_view bytes);
std::string mxl_root_document(std::string_view zip_bytes, const std::string& source_name);

}  // namespace prnn
