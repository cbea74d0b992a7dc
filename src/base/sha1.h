// SHA-1 digests (FIPS 180-4), as Magenta uses them for NoteSequence ids. Computed by
// Debian's nettle library. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace prnn {

// The 40-character lower-case hex digest of `data` (Python's hashlib.sha1().hexdigest()).
std::string sha1_hex(std::string_view data);

}  // namespace prnn
