// Features of a piano performance per time window, after Yang & Lerch (2020, "On the
// evaluation of generative models in music"), for comparing generated with real music.
//
// The sequence is cut into windows of window_seconds from 0 s; a note belongs to the
// window its onset falls in. The last window is as long as what is left (up to the end of
// the last note, sustain applied) and is dropped when shorter than min_window_seconds,
// unless it is the only one; windows without notes are dropped. Drum notes are ignored.
// Per window:
//   notes_per_second          onsets / window length (Magenta's density)
//   pitch_range               highest − lowest MIDI pitch
//   mean_pitch                mean MIDI pitch
//   pitch_class_entropy       bits, of the onsets' pitch-class counts
//   mean_inter_onset_interval seconds between consecutive distinct onsets (rounded to
//                             10 ms); NaN with a single onset time
//   mean_note_length          seconds, sustain (CC 64) applied
//   polyphony                 notes sounding (sustain applied, clipped to the window),
//                             averaged over the time at least one sounds
//   velocity_mean, velocity_spread (standard deviation)
//   max_duration_share        share of notes (as written, no sustain) lasting the maximum
//                             note duration (within 5 ms): the generator's cut of notes
//                             that never got a note-off; 0 when max_note_duration is 0
// and the pitch-class histogram (seconds held per class, sustain applied, clipped to the
// window), the quantity the histogram control conditions on. Pure functions.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "performance/control_signals.h"
#include "proto/music.pb.h"

namespace prnn {

enum Feature {
  kNotesPerSecond,
  kPitchRange,
  kMeanPitch,
  kPitchClassEntropy,
  kMeanInterOnsetInterval,
  kMeanNoteLength,
  kPolyphony,
  kVelocityMean,
  kVelocitySpread,
  kMaxDurationShare,
  kNumFeatures
};

const char* feature_name(int feature);

struct FeatureOptions {
  double window_seconds = 30;
  double min_window_seconds = 10;
  double max_note_duration = 5;  // the generator's --max_note_duration
};

struct WindowFeatures {
  double start = 0;    // seconds
  double seconds = 0;  // window length
  std::array<double, kNumFeatures> values{};
  PitchHistogram pitch_class_seconds{};
};

std::vector<WindowFeatures> window_features(const magenta::NoteSequence& sequence,
                                            const FeatureOptions& options = {});

// Pearson correlation of two histograms (NaN when either is constant).
double pearson_correlation(const PitchHistogram& a, const PitchHistogram& b);

}  // namespace prnn
