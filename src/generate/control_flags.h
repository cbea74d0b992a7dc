// The control flags of performance_rnn_generate, parsed into a ControlSchedule:
//   --notes_per_second      a number > 0, or a list of them (segments over time)
//   --pitch_class_histogram 12 weights ≥ 0 (not all 0), a scale name, or a list of these
//   --disable_conditioning  True/False, or a list of them
// Scale names: <tonic>_major, <tonic>_minor (natural), <tonic>_pentatonic (major
// pentatonic), <tonic>_blues, <tonic>_whole_tone, <tonic>_chromatic, with tonic c, c#, db, d,
// …, b (also c_sharp, e_flat); bare major, minor, pentatonic, whole_tone, chromatic mean C.
// Each scale weighs its pitch classes 1 and the others 0. Bad values throw UsageError
// naming the flag and the problem. Plain functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "performance/control_signals.h"

namespace prnn {

std::vector<double> parse_note_densities(const std::string& text);
std::vector<PitchHistogram> parse_pitch_histograms(const std::string& text);
std::vector<bool> parse_disable_conditioning(const std::string& text);

// The histogram of a scale name, or nullopt when the name is unknown.
std::optional<PitchHistogram> scale_histogram(const std::string& name);
// Every accepted scale name pattern, for error messages and --help.
std::string scale_names_help();

}  // namespace prnn
