#include "data/sequence_example.h"

#include <cstring>

#include "base/crc32c.h"
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

// Size of a length-delimited field (tag + length + payload).
size_t field_size(size_t payload) { return 1 + varint_size(payload) + payload; }

// Writes into a buffer sized in advance.
class Cursor {
 public:
  explicit Cursor(char* at) : at_(at) {}
  void varint(uint64_t value) {
    while (value >= 0x80) {
      *at_++ = static_cast<char>((value & 0x7F) | 0x80);
      value >>= 7;
    }
    *at_++ = static_cast<char>(value);
  }
  void header(uint8_t tag, size_t payload) {
    *at_++ = static_cast<char>(tag);
    varint(payload);
  }
  void bytes(const void* data, size_t n) {
    std::memcpy(at_, data, n);
    at_ += n;
  }
  char* position() const { return at_; }

 private:
  char* at_;
};

struct Layout {
  size_t steps;
  size_t float_bytes, float_list, float_feature;  // payload sizes, per input step
  size_t input_list, input_entry;                 // FeatureList and map entry payloads
  size_t label_list, label_entry;
  size_t feature_lists;
  size_t total;  // the SequenceExample
};

size_t label_packed_size(const int64_t* labels, int width) {
  size_t packed = 0;
  for (int k = 0; k < width; ++k) packed += varint_size(static_cast<uint64_t>(labels[k]));
  return packed;
}

Layout plan(std::span<const float> inputs, int input_width, std::span<const int64_t> labels,
            int label_width) {
  PRNN_CHECK(input_width > 0 && label_width > 0);
  Layout l;
  l.steps = inputs.size() / input_width;
  PRNN_CHECK(inputs.size() == l.steps * input_width && labels.size() == l.steps * label_width);
  l.float_bytes = 4 * static_cast<size_t>(input_width);
  l.float_list = field_size(l.float_bytes);
  l.float_feature = field_size(l.float_list);
  l.input_list = l.steps * field_size(l.float_feature);
  l.input_entry = field_size(6) + field_size(l.input_list);  // "inputs"
  l.label_list = 0;
  for (size_t t = 0; t < l.steps; ++t) {
    l.label_list += field_size(
        field_size(field_size(label_packed_size(&labels[t * label_width], label_width))));
  }
  l.label_entry = field_size(6) + field_size(l.label_list);  // "labels"
  l.feature_lists = field_size(l.input_entry) + field_size(l.label_entry);
  l.total = field_size(l.feature_lists);
  return l;
}

void write(const Layout& l, std::span<const float> inputs, int input_width,
           std::span<const int64_t> labels, int label_width, Cursor& out) {
  out.header(kField2, l.feature_lists);
  out.header(kField1, l.input_entry);
  out.header(kField1, 6);
  out.bytes("inputs", 6);
  out.header(kField2, l.input_list);
  for (size_t t = 0; t < l.steps; ++t) {
    out.header(kField1, l.float_feature);
    out.header(kField2, l.float_list);
    out.header(kField1, l.float_bytes);
    out.bytes(inputs.data() + t * input_width, l.float_bytes);  // little-endian floats
  }
  out.header(kField1, l.label_entry);
  out.header(kField1, 6);
  out.bytes("labels", 6);
  out.header(kField2, l.label_list);
  for (size_t t = 0; t < l.steps; ++t) {
    const int64_t* label = &labels[t * label_width];
    const size_t packed = label_packed_size(label, label_width);
    out.header(kField1, field_size(field_size(packed)));
    out.header(kField3, field_size(packed));
    out.header(kField1, packed);
    for (int k = 0; k < label_width; ++k) out.varint(static_cast<uint64_t>(label[k]));
  }
}

void put_u32(char* at, uint32_t value) { std::memcpy(at, &value, 4); }  // little-endian host

}  // namespace

void append_sequence_example(std::span<const float> inputs, int input_width,
                             std::span<const int64_t> labels, int label_width, std::string* out) {
  const Layout layout = plan(inputs, input_width, labels, label_width);
  const size_t start = out->size();
  out->resize(start + layout.total);
  Cursor cursor(out->data() + start);
  write(layout, inputs, input_width, labels, label_width, cursor);
  PRNN_CHECK(cursor.position() == out->data() + out->size());
}

void append_sequence_example_record(std::span<const float> inputs, int input_width,
                                    std::span<const int64_t> labels, int label_width,
                                    std::string* out) {
  const Layout layout = plan(inputs, input_width, labels, label_width);
  const size_t start = out->size();
  out->resize(start + 12 + layout.total + 4);
  char* record = out->data() + start;
  const uint64_t length = layout.total;
  std::memcpy(record, &length, 8);
  put_u32(record + 8, mask_crc(crc32c(record, 8)));
  Cursor cursor(record + 12);
  write(layout, inputs, input_width, labels, label_width, cursor);
  PRNN_CHECK(cursor.position() == record + 12 + layout.total);
  put_u32(record + 12 + layout.total, mask_crc(crc32c(record + 12, layout.total)));
}

}  // namespace prnn
