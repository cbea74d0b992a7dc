#include "model/hparams.h"

#include <gtest/gtest.h>

#include "base/error.h"

namespace prnn {
namespace {

TEST(HParams, DefaultsAreThoseOfThePerformanceConfigs) {
  // doc/magenta.md §9: batch 64, [512,512,512], keep 1.0, clip 3, lr 0.001.
  HParams h = default_hparams();
  EXPECT_EQ(h.batch_size, 64);
  EXPECT_EQ(h.rnn_layer_sizes, (std::vector<int>{512, 512, 512}));
  EXPECT_DOUBLE_EQ(h.dropout_keep_prob, 1.0);
  EXPECT_DOUBLE_EQ(h.clip_norm, 3.0);
  EXPECT_DOUBLE_EQ(h.learning_rate, 0.001);
}

TEST(HParams, ParsesMagentaSyntax) {
  HParams h = default_hparams();
  apply_hparams(
      "batch_size=16, rnn_layer_sizes=[64,32],dropout_keep_prob=0.5,clip_norm=5,"
      "learning_rate=1e-4",
      h);
  EXPECT_EQ(h.batch_size, 16);
  EXPECT_EQ(h.rnn_layer_sizes, (std::vector<int>{64, 32}));
  EXPECT_DOUBLE_EQ(h.dropout_keep_prob, 0.5);
  EXPECT_DOUBLE_EQ(h.clip_norm, 5);
  EXPECT_DOUBLE_EQ(h.learning_rate, 1e-4);
}

TEST(HParams, RoundTripsThroughText) {
  HParams h = default_hparams();
  apply_hparams("rnn_layer_sizes=[8],learning_rate=0.0003", h);
  HParams back = default_hparams();
  apply_hparams(hparams_to_string(h), back);
  EXPECT_EQ(back, h);
}

TEST(HParams, UnknownNameListsTheValidOnes) {
  HParams h = default_hparams();
  try {
    apply_hparams("batch_size=8,learnin_rate=0.1", h);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("learnin_rate"), std::string::npos) << message;
    EXPECT_NE(message.find("learning_rate"), std::string::npos) << message;
    EXPECT_NE(message.find("rnn_layer_sizes"), std::string::npos) << message;
  }
  EXPECT_EQ(h.batch_size, 64) << "a failed parse must leave the hparams unchanged";
}

TEST(HParams, RejectsBadValues) {
  for (const char* bad : {"batch_size=0", "batch_size=abc", "rnn_layer_sizes=512",
                          "rnn_layer_sizes=[]", "dropout_keep_prob=1.5", "clip_norm=-1",
                          "learning_rate=nan", "attn_length=2", "batch_size"}) {
    HParams h = default_hparams();
    EXPECT_THROW(apply_hparams(bad, h), UsageError) << bad;
  }
}

TEST(HParams, TextWritesRatesShortest) {
  HParams h = default_hparams();
  apply_hparams("learning_rate=0.0005,decay=cosine,min_learning_rate=0.00005", h);
  const std::string text = hparams_to_string(h);
  EXPECT_NE(text.find(",learning_rate=0.0005,"), std::string::npos) << text;
  EXPECT_NE(text.find(",min_learning_rate=5e-05"), std::string::npos) << text;
}

}  // namespace
}  // namespace prnn
