#include "data/sequence_example_decoder.h"

#include <cmath>

#include "base/error.h"
#include "proto/tf_example.pb.h"

namespace prnn {

SequenceExampleDecoder::SequenceExampleDecoder(const PerformanceConfig& config)
    : config_(config),
      layout_(config.input_layout()),
      heads_(config.output_heads()),
      compact_size_(config.compact_input_size()),
      magenta_size_(config.magenta_input_size()) {}

void SequenceExampleDecoder::decode(std::string_view serialized, const std::string& where,
                                    EncodedExample& out) const {
  tensorflow::SequenceExample example;
  if (!example.ParseFromArray(serialized.data(), static_cast<int>(serialized.size()))) {
    throw InputError(where + ": not a tensorflow.SequenceExample");
  }
  const auto& lists = example.feature_lists().feature_list();
  auto inputs_it = lists.find("inputs");
  auto labels_it = lists.find("labels");
  if (inputs_it == lists.end() || labels_it == lists.end()) {
    throw InputError(where + ": SequenceExample lacks the \"inputs\" or \"labels\" feature list");
  }
  const auto& inputs = inputs_it->second.feature();
  const auto& labels = labels_it->second.feature();
  if (inputs.size() != labels.size()) {
    throw InputError(where + ": " + std::to_string(inputs.size()) + " input steps but " +
                     std::to_string(labels.size()) + " label steps");
  }
  const int steps = inputs.size();
  const int dense_size = layout_.dense_size;
  const int groups = layout_.num_groups();
  const int heads = static_cast<int>(heads_.size());
  out.num_steps = steps;
  out.dense.assign(static_cast<size_t>(steps) * dense_size, 0.0f);
  out.onehot.assign(static_cast<size_t>(steps) * groups, -1);
  out.labels.assign(static_cast<size_t>(steps) * heads, 0);

  for (int t = 0; t < steps; ++t) {
    const std::string at = where + ": step " + std::to_string(t);
    if (!inputs[t].has_float_list()) throw InputError(at + ": \"inputs\" is not a FloatList");
    const auto& values = inputs[t].float_list().value();
    const int width = values.size();
    float* dense = out.dense.data() + static_cast<size_t>(t) * dense_size;
    int32_t* onehot = out.onehot.data() + static_cast<size_t>(t) * groups;
    for (int d = 0; d < dense_size && d < width; ++d) {
      if (!std::isfinite(values[d])) throw InputError(at + ": non-finite input value");
      dense[d] = values[d];
    }
    if (width == compact_size_) {
      for (int g = 0; g < groups; ++g) {
        float index = values[dense_size + g];
        if (!(index >= 0 && index < layout_.onehot_sizes[g]) || index != std::floor(index)) {
          throw InputError(at + ": class index " + std::to_string(index) + " of group " +
                           std::to_string(g) + " outside 0.." +
                           std::to_string(layout_.onehot_sizes[g] - 1));
        }
        onehot[g] = static_cast<int32_t>(index);
      }
    } else if (width == magenta_size_) {
      int offset = dense_size;
      for (int g = 0; g < groups; ++g) {
        int hot = -1;
        for (int c = 0; c < layout_.onehot_sizes[g]; ++c) {
          float v = values[offset + c];
          if (v == 0.0f) continue;
          if (v != 1.0f || hot >= 0) {
            throw InputError(at + ": one-hot group " + std::to_string(g) +
                             " is not one-hot (value " + std::to_string(v) + " at " +
                             std::to_string(c) + ")");
          }
          hot = c;
        }
        onehot[g] = hot;
        offset += layout_.onehot_sizes[g];
      }
    } else {
      throw InputError(at + ": input size " + std::to_string(width) + " does not match config " +
                       std::string(config_.name) + ", which expects " +
                       std::to_string(magenta_size_) + " (one-hot layout) or " +
                       std::to_string(compact_size_) +
                       " (compact layout); was the file made for another config?");
    }
    if (!labels[t].has_int64_list() || labels[t].int64_list().value_size() != heads) {
      throw InputError(at + ": \"labels\" must hold " + std::to_string(heads) +
                       " int64 value(s) for config " + std::string(config_.name));
    }
    for (int h = 0; h < heads; ++h) {
      int64_t label = labels[t].int64_list().value(h);
      if (label < 0 || label >= heads_[h]) {
        throw InputError(at + ": label " + std::to_string(label) + " outside 0.." +
                         std::to_string(heads_[h] - 1) + " for config " +
                         std::string(config_.name));
      }
      out.labels[static_cast<size_t>(t) * heads + h] = label;
    }
  }
}

}  // namespace prnn
