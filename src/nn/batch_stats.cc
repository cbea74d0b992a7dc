#include "nn/batch_stats.h"

#include <algorithm>

namespace prnn {

double BatchStats::mean_per_class_accuracy() const {
  double sum = 0;
  int classes = 0;
  for (size_t c = 0; c < class_predictions.size(); ++c) {
    if (class_predictions[c] == 0) continue;
    sum += static_cast<double>(class_correct[c]) / static_cast<double>(class_predictions[c]);
    ++classes;
  }
  return classes == 0 ? std::nan("") : sum / classes;
}

void BatchStats::add(const BatchStats& other) {
  cross_entropy_sum += other.cross_entropy_sum;
  predictions += other.predictions;
  correct += other.correct;
  event_predictions += other.event_predictions;
  event_correct += other.event_correct;
  no_event_predictions += other.no_event_predictions;
  no_event_correct += other.no_event_correct;
  if (class_predictions.size() < other.class_predictions.size()) {
    class_predictions.resize(other.class_predictions.size(), 0);
    class_correct.resize(other.class_correct.size(), 0);
  }
  for (size_t c = 0; c < other.class_predictions.size(); ++c) {
    class_predictions[c] += other.class_predictions[c];
    class_correct[c] += other.class_correct[c];
  }
}

}  // namespace prnn
