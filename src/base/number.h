// Numbers as text. Checked parsing of whole numbers written by someone else: digits in a
// file name, a tensor name, an environment variable, a flag. Unlike std::stoi/stoll they
// never throw std::invalid_argument or std::out_of_range; the caller turns "not a number"
// into an InputError that names the source. And the shortest text that reads back as the
// same double. Plain functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace prnn {

// All of `text` as a decimal integer (optional leading '-') that fits int64_t; nullopt
// for anything else (empty, spaces, trailing characters, overflow).
std::optional<int64_t> parse_int64(std::string_view text);

// The same for int.
std::optional<int> parse_int(std::string_view text);

// A comma-separated list of ints, spaces around each item allowed ("512, 512,512");
// nullopt when an item is not an int or the list is empty. The layer lists of
// --hparams rnn_layer_sizes and the benchmarks' --layers.
std::optional<std::vector<int>> parse_int_list(std::string_view text);

// `value` as printf's %g with the fewest significant digits that strtod reads back as
// exactly `value` ("0.0005", "5e-05", not "0.00050000000000000001"): how hparams are
// written into logs and checkpoints. Finite values.
std::string shortest_decimal(double value);

}  // namespace prnn
