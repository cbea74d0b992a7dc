#include "data/batch_builder.h"

#include <gtest/gtest.h>

namespace prnn {
namespace {

TEST(BatchBuilder, PadsTimeMajorWithMinusOne) {
  InputLayout layout{1, {5}};
  EncodedExample a{2, {0.5f, 0.25f}, {3, 4}, {1, 2}};
  EncodedExample b{1, {1.0f}, {0}, {4}};
  std::vector<EncodedExample> examples = {a, b};
  Batch batch;
  build_batch(examples, layout, 1, batch);
  EXPECT_EQ(batch.batch_size, 2);
  EXPECT_EQ(batch.max_length, 2);
  EXPECT_EQ(batch.lengths, (std::vector<int32_t>{2, 1}));
  // (T, B, ·): t0 = [a0, b0], t1 = [a1, pad].
  EXPECT_EQ(batch.dense, (std::vector<float>{0.5f, 1.0f, 0.25f, 0.0f}));
  EXPECT_EQ(batch.onehot, (std::vector<int32_t>{3, 0, 4, -1}));
  EXPECT_EQ(batch.labels, (std::vector<int32_t>{1, 4, 2, -1}));
}

TEST(BatchBuilder, SeveralHeadsStayTogetherPerPosition) {
  InputLayout layout{0, {3, 3}};
  EncodedExample a{1, {}, {1, 2}, {0, 1, 2}};
  std::vector<EncodedExample> examples = {a};
  Batch batch;
  build_batch(examples, layout, 3, batch);
  EXPECT_EQ(batch.onehot, (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(batch.labels, (std::vector<int32_t>{0, 1, 2}));
}

}  // namespace
}  // namespace prnn
