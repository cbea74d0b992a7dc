// Training and model hyperparameters in Magenta's syntax, e.g.
//   batch_size=64,rnn_layer_sizes=[512,512,512],dropout_keep_prob=1.0,clip_norm=3,learning_rate=0.001
// plus our learning-rate schedule: warmup_steps, decay (constant|exponential|cosine),
// decay_steps, decay_rate, min_learning_rate.
//
// default_hparams() gives the values every Performance RNN config starts from
// (doc/magenta.md §9); apply_hparams() overrides them from a --hparams string.
// An unknown name, a malformed value or an unsupported feature throws UsageError naming
// the flag, the offending entry and (for an unknown name) every valid name.
// Plain value type; thread-compatible.
#pragma once

#include <string>
#include <vector>

namespace prnn {

// The learning-rate decay after warm-up (train/learning_rate.h).
enum class LearningRateDecay { kConstant, kExponential, kCosine };

struct HParams {
  int batch_size = 64;
  std::vector<int> rnn_layer_sizes = {512, 512, 512};
  double dropout_keep_prob = 1.0;
  double clip_norm = 3.0;
  double learning_rate = 0.001;
  // Learning-rate schedule (ours; train/learning_rate.h). The defaults keep Magenta's
  // constant rate, and hparams_to_string leaves fields at their defaults out.
  int warmup_steps = 0;
  LearningRateDecay decay = LearningRateDecay::kConstant;
  int decay_steps = 10000;
  double decay_rate = 0.5;         // exponential: factor per decay_steps
  double min_learning_rate = 0.0;  // exponential and cosine approach it
  // Accepted for compatibility with Magenta's hparams; only the defaults are supported.
  int attn_length = 0;
  bool residual_connections = false;
  bool use_cudnn = false;

  bool operator==(const HParams&) const = default;
};

// Defaults of the Performance RNN configs (all nine share them).
HParams default_hparams();

// Applies "name=value,name=value" overrides in order. An empty string changes nothing.
void apply_hparams(const std::string& overrides, HParams& hparams);

// The canonical Magenta-syntax text of every field (parses back to the same value); the
// schedule fields only when they differ from their defaults.
std::string hparams_to_string(const HParams& hparams);

}  // namespace prnn
