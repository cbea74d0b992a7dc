// The order in which a part's measures are played when repeats are honoured: repeat
// barlines (<repeat direction="forward|backward" times="N">, default twice) and volta
// endings (<ending number="1, 2" type="start|stop|discontinue">), then one jump back by
// <sound dacapo="yes"> or <sound dalsegno> (to the last <sound segno> before it), played
// without repeats (endings that lead back are skipped) up to <sound fine> or on from
// <sound tocoda> to the next <sound coda>.
//
// Failure: repeats that would unroll to more than kMaxUnrolledMeasures(n) measures throw
// InputError prefixed by `where`. Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <pugixml.hpp>
#include <string>
#include <vector>

namespace prnn {

constexpr size_t kMaxUnrolledMeasures(size_t measure_count) { return 32 * measure_count + 1024; }

// Indices into `measures` in playing order.
std::vector<size_t> unrolled_measure_order(const std::vector<pugi::xml_node>& measures,
                                           const std::string& where);

}  // namespace prnn
