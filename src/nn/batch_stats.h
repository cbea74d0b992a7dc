// Loss and accuracy counts of one batch (or of many, summed), as Magenta's train and eval
// graphs report them. Counts rather than means so the eval job can aggregate batches.
// A "prediction" is one (real position, head) pair; padding positions never count.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace prnn {

struct BatchStats {
  double cross_entropy_sum = 0;  // sum of softmax cross-entropy over all predictions
  int64_t predictions = 0;
  int64_t correct = 0;            // argmax == label
  int64_t event_predictions = 0;  // label != that head's no-event label
  int64_t event_correct = 0;
  int64_t no_event_predictions = 0;  // label == that head's no-event label
  int64_t no_event_correct = 0;
  // Per class of head 0 (size = head 0's classes): for Magenta's per_class_accuracy.
  std::vector<int64_t> class_predictions;
  std::vector<int64_t> class_correct;

  // Magenta's `loss` (mean cross-entropy; heads averaged too) and `metrics/...`.
  double loss() const { return cross_entropy_sum / static_cast<double>(predictions); }
  double perplexity() const { return std::exp(loss()); }
  double accuracy() const { return ratio(correct, predictions); }
  double event_accuracy() const { return ratio(event_correct, event_predictions); }
  double no_event_accuracy() const { return ratio(no_event_correct, no_event_predictions); }
  // metrics/loss_per_step: num_steps = sum of labels_to_num_steps over the batch's examples.
  double loss_per_step(double num_steps) const { return cross_entropy_sum / num_steps; }
  // Mean over classes that occur of (correct / occurrences), head 0.
  double mean_per_class_accuracy() const;

  void add(const BatchStats& other);

 private:
  static double ratio(int64_t a, int64_t b) {
    return b == 0 ? std::nan("") : static_cast<double>(a) / static_cast<double>(b);
  }
};

}  // namespace prnn
