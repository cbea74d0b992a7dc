// Training examples made on the fly from NoteSequences, so a large corpus needs no
// materialised dataset. Each example follows the dataset stage's training pipeline with
// random draws instead of enumerating every variant:
//   a piece (chosen with probability proportional to its duration) → a random window of
//   `window_seconds` → stretch by a factor uniform in [min_stretch, max_stretch] →
//   absolute quantization at 100 steps/s → transposition uniform in −max_transpose…
//   +max_transpose (0 if a pitch would leave 0–127) → performance with the config's
//   velocity bins, at most max_events events (windows with fewer than min_events are
//   drawn again) → encoding (optional conditioning: enabled or disabled at random).
// Sustain is applied once, when the sequences are loaded.
//
// make_eval_examples encodes the eval pipeline's performances (data/eval_pipeline.h) of one
// sustained sequence: kEvalSplitSeconds segments, no stretch or transposition, at most
// kEvalMaxEvents events, segments under kEvalMinEvents dropped; an optional-conditioning
// config gets each segment twice, conditioning enabled then disabled.
//
// load_sustained_sequences reads a NoteSequence TFRecord, a music file or a folder of them
// (sub-folders with `recursive`, see music_file_listing.h); unreadable files are reported
// and skipped; none usable throws InputError saying what was found.
// The stream shares the loaded sequences read-only; it is driven by one thread.
#pragma once

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "data/eval_pipeline.h"
#include "data/example_stream.h"
#include "proto/music.pb.h"

namespace prnn {

struct AugmentationOptions {
  double min_stretch = 0.95;
  double max_stretch = 1.05;
  int max_transpose = 3;
  double window_seconds = kEvalSplitSeconds;  // data/eval_pipeline.h
  int max_events = kEvalMaxEvents;
  int min_events = kEvalMinEvents;
};

using SequenceList = std::vector<magenta::NoteSequence>;

// Every sequence with notes, sustain applied. `exclude_regex` (ECMAScript, may be empty)
// drops folder files whose relative path matches it (e.g. score files).
std::shared_ptr<const SequenceList> load_sustained_sequences(const std::string& path,
                                                             const std::string& exclude_regex,
                                                             bool recursive);

class AugmentedExampleStream : public ExampleStream {
 public:
  AugmentedExampleStream(std::shared_ptr<const SequenceList> sequences,
                         const PerformanceConfig& config, uint64_t seed,
                         AugmentationOptions options = {});
  void next(EncodedExample& out) override;

 private:
  std::shared_ptr<const SequenceList> sequences_;
  const PerformanceConfig& config_;
  PerformanceEncoder encoder_;
  AugmentationOptions options_;
  std::discrete_distribution<size_t> pick_piece_;
  std::mt19937_64 rng_;
};

// The deterministic eval examples of one sustained sequence (appended to `out`).
void make_eval_examples(const magenta::NoteSequence& sustained, const PerformanceConfig& config,
                        std::vector<EncodedExample>& out);

}  // namespace prnn
