#include "data/sequence_example.h"

#include <cstring>

#include "base/error.h"

namespace prnn {
namespace {

// Wire tags: (field << 3) | 2 (length-delimited).
constexpr uint8_t kField1 = 0x0A;
constexpr uint8_t kField2 = 0x12;
constexpr uint8_t kField3 = 0x1A;

size_t varint_size(uint64_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

void put_varint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

// Size of a length-delimited field (tag + length + payload).
size_t field_size(size_t payload) { return 1 + varint_size(payload) + payload; }

void put_header(uint8_t tag, size_t payload, std::string* out) {
  out->push_back(static_cast<char>(tag));
  put_varint(payload, out);
}

// A FeatureList of T features; `feature_payload(t)` is the Feature's content size.
struct ListSizes {
  size_t feature_list = 0;  // FeatureList payload
  size_t entry = 0;         // map entry payload
};

ListSizes list_sizes(const char* key, size_t num_features, size_t feature_size_each,
                     size_t varying_total) {
  ListSizes sizes;
  sizes.feature_list = num_features * feature_size_each + varying_total;
  sizes.entry = field_size(std::strlen(key)) + field_size(sizes.feature_list);
  return sizes;
}

void put_entry_header(const char* key, const ListSizes& sizes, std::string* out) {
  put_header(kField1, sizes.entry, out);
  const size_t key_size = std::strlen(key);
  put_header(kField1, key_size, out);
  out->append(key, key_size);
  put_header(kField2, sizes.feature_list, out);
}

}  // namespace

void append_sequence_example(std::span<const float> inputs, int input_width,
                             std::span<const int64_t> labels, int label_width, std::string* out) {
  PRNN_CHECK(input_width > 0 && label_width > 0);
  const size_t steps = inputs.size() / input_width;
  PRNN_CHECK(inputs.size() == steps * input_width && labels.size() == steps * label_width);

  // inputs: Feature{float_list (2): FloatList{value (1) packed}}.
  const size_t float_bytes = 4 * static_cast<size_t>(input_width);
  const size_t float_list = field_size(float_bytes);
  const size_t float_feature = field_size(float_list);  // Feature payload inside FeatureList
  const ListSizes input_sizes = list_sizes("inputs", steps, field_size(float_feature), 0);

  // labels: Feature{int64_list (3): Int64List{value (1) packed varints}}, sizes vary.
  size_t label_total = 0;
  for (size_t t = 0; t < steps; ++t) {
    size_t packed = 0;
    for (int k = 0; k < label_width; ++k) packed += varint_size(labels[t * label_width + k]);
    label_total += field_size(field_size(field_size(packed)));
  }
  const ListSizes label_sizes = list_sizes("labels", 0, 0, label_total);

  const size_t feature_lists = field_size(input_sizes.entry) + field_size(label_sizes.entry);
  out->reserve(out->size() + field_size(feature_lists));
  put_header(kField2, feature_lists, out);

  put_entry_header("inputs", input_sizes, out);
  for (size_t t = 0; t < steps; ++t) {
    put_header(kField1, float_feature, out);
    put_header(kField2, float_list, out);
    put_header(kField1, float_bytes, out);
    const size_t at = out->size();
    out->resize(at + float_bytes);
    std::memcpy(out->data() + at, inputs.data() + t * input_width, float_bytes);  // little-endian
  }

  put_entry_header("labels", label_sizes, out);
  for (size_t t = 0; t < steps; ++t) {
    size_t packed = 0;
    for (int k = 0; k < label_width; ++k) packed += varint_size(labels[t * label_width + k]);
    put_header(kField1, field_size(field_size(packed)), out);
    put_header(kField3, field_size(packed), out);
    put_header(kField1, packed, out);
    for (int k = 0; k < label_width; ++k) put_varint(labels[t * label_width + k], out);
  }
}

}  // namespace prnn
