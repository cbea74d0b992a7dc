#include "model/v1_checkpoint.h"

#include <cstring>
#include <set>

#include "base/error.h"
#include "model/ordered_code.h"
#include "model/sstable_reader.h"
#include "proto/tensor_slices.pb.h"

namespace prnn {
namespace {

// TensorFlow DataType codes (types.proto); reference types are these plus 100.
enum DataType : int {
  kFloat = 1,
  kDouble = 2,
  kInt32 = 3,
  kUint8 = 4,
  kInt16 = 5,
  kInt8 = 6,
  kString = 7,
  kComplex64 = 8,
  kInt64 = 9,
  kBool = 10,
  kQint8 = 11,
  kQuint8 = 12,
  kQint32 = 13,
  kBfloat16 = 14,
  kQint16 = 15,
  kQuint16 = 16,
  kUint16 = 17,
  kComplex128 = 18,
  kHalf = 19,
};

float half_to_float(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else {
    float magnitude = static_cast<float>(mantissa) * (1.0f / 16777216.0f);  // 2^-24
    return sign ? -magnitude : magnitude;
  }
  float out;
  std::memcpy(&out, &bits, 4);
  return out;
}

struct TensorMeta {
  std::vector<int64_t> shape;
  uint64_t count = 1;
  int dtype = 0;
  bool seen = false;
};

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

[[noreturn]] void fail(const std::string& source, const std::string& message) {
  throw InputError(source + ": V1 checkpoint: " + message);
}

template <typename Repeated>
void append_converted(const Repeated& values, std::vector<float>& out) {
  for (auto v : values) out.push_back(static_cast<float>(v));
}

// Converts the typed values of `data` to floats. REQUIRES: dtype already validated.
std::vector<float> tensor_values(const tensorflow::TensorProto& data, int dtype,
                                 const std::string& name, const std::string& source) {
  std::vector<float> out;
  const std::string& content = data.tensor_content();
  switch (dtype) {
    case kFloat:
      if (!content.empty()) {
        if (content.size() % 4) fail(source, "tensor '" + name + "' content is not whole floats");
        out.resize(content.size() / 4);
        std::memcpy(out.data(), content.data(), content.size());
      } else {
        out.assign(data.float_val().begin(), data.float_val().end());
      }
      break;
    case kDouble:
      append_converted(data.double_val(), out);
      break;
    case kInt64:
      append_converted(data.int64_val(), out);
      break;
    case kBool:
      append_converted(data.bool_val(), out);
      break;
    case kHalf:
      for (int32_t h : data.half_val()) out.push_back(half_to_float(static_cast<uint16_t>(h)));
      break;
    default:  // the integer types stored in int_val
      append_converted(data.int_val(), out);
      break;
  }
  return out;
}

bool is_supported(int dtype) {
  switch (dtype) {
    case kFloat:
    case kDouble:
    case kInt32:
    case kUint8:
    case kInt16:
    case kInt8:
    case kInt64:
    case kBool:
    case kQint8:
    case kQuint8:
    case kQint32:
    case kQint16:
    case kQuint16:
    case kUint16:
    case kHalf:
      return true;
    default:
      return false;
  }
}

// Checks the key against the entry: its name, rank and full extents.
void check_key(std::string_view key, const std::string& name, size_t rank,
               const std::string& source) {
  uint64_t zero = 1, key_rank = 0;
  std::string key_name;
  bool ok = ordered_code::read_unsigned(key, &zero) && zero == 0 &&
            ordered_code::read_string(key, &key_name) &&
            ordered_code::read_unsigned(key, &key_rank);
  if (!ok) fail(source, "undecodable key for tensor '" + name + "'");
  if (key_name != name)
    fail(source, "key names '" + key_name + "' but the entry is '" + name + "'");
  if (key_rank != rank) {
    fail(source, "key of '" + name + "' has rank " + std::to_string(key_rank) +
                     " but the tensor has rank " + std::to_string(rank));
  }
  for (size_t d = 0; d < rank; ++d) {
    int64_t start = 0, length = 0;
    if (!ordered_code::read_signed(key, &start) || !ordered_code::read_signed(key, &length)) {
      fail(source, "key of '" + name + "' has undecodable extents");
    }
    if (start != 0 || length != -1) {
      fail(source, "tensor '" + name + "' is saved in slices (dimension " + std::to_string(d) +
                       " starts at " + std::to_string(start) +
                       "); partitioned variables are not supported");
    }
  }
  if (!key.empty()) fail(source, "key of '" + name + "' has trailing bytes");
}

void check_full_slice(const tensorflow::TensorSliceProto& slice, const TensorMeta& meta,
                      const std::string& name, const std::string& source) {
  if (static_cast<size_t>(slice.extent_size()) != meta.shape.size() && slice.extent_size() != 0) {
    fail(source, "slice of '" + name + "' has " + std::to_string(slice.extent_size()) +
                     " extents for a rank-" + std::to_string(meta.shape.size()) + " tensor");
  }
  for (int d = 0; d < slice.extent_size(); ++d) {
    const auto& extent = slice.extent(d);
    bool full = extent.start() == 0 && (!extent.has_length() || extent.length() == meta.shape[d]);
    if (!full) {
      fail(source, "tensor '" + name + "' is saved in slices (dimension " + std::to_string(d) +
                       "); partitioned variables are not supported");
    }
  }
}

std::map<std::string, TensorMeta> parse_meta(std::string_view value, const std::string& source) {
  tensorflow::SavedTensorSlices entry;
  if (!entry.ParseFromArray(value.data(), static_cast<int>(value.size())) || !entry.has_meta()) {
    fail(source, "the metadata entry (empty key) is not a SavedTensorSliceMeta");
  }
  std::map<std::string, TensorMeta> metas;
  for (const auto& tensor : entry.meta().tensor()) {
    TensorMeta meta;
    meta.dtype = tensor.type() > 100 ? tensor.type() - 100 : tensor.type();
    if (!is_supported(meta.dtype)) {
      fail(source, "tensor '" + tensor.name() + "' has data type " + std::to_string(tensor.type()) +
                       ", which is not a supported numeric type");
    }
    for (const auto& dim : tensor.shape().dim()) {
      if (dim.size() < 0 || (dim.size() > 0 && meta.count > (uint64_t{1} << 40) / dim.size())) {
        fail(source, "tensor '" + tensor.name() + "' has an invalid dimension " +
                         std::to_string(dim.size()));
      }
      meta.shape.push_back(dim.size());
      meta.count *= static_cast<uint64_t>(dim.size());
    }
    if (tensor.slice_size() > 1) {
      fail(source, "tensor '" + tensor.name() + "' is saved in " +
                       std::to_string(tensor.slice_size()) +
                       " slices; partitioned variables are not supported");
    }
    if (!metas.emplace(tensor.name(), std::move(meta)).second) {
      fail(source, "tensor '" + tensor.name() + "' is listed twice in the metadata");
    }
  }
  return metas;
}

}  // namespace

std::vector<NamedTensor> read_v1_checkpoint(std::string_view bytes, const std::string& source) {
  std::map<std::string, TensorMeta> metas;
  bool have_meta = false;
  std::vector<NamedTensor> tensors;
  for_each_table_entry(bytes, source, [&](std::string_view key, std::string_view value) {
    if (key.empty()) {
      if (have_meta) fail(source, "two metadata entries");
      metas = parse_meta(value, source);
      have_meta = true;
      return;
    }
    if (!have_meta) fail(source, "a data entry comes before the metadata entry");
    tensorflow::SavedTensorSlices entry;
    if (!entry.ParseFromArray(value.data(), static_cast<int>(value.size())) || !entry.has_data()) {
      fail(source, "an entry is not a SavedSlice");
    }
    const auto& slice = entry.data();
    auto it = metas.find(slice.name());
    if (it == metas.end())
      fail(source, "data for '" + slice.name() + "', which the metadata lacks");
    TensorMeta& meta = it->second;
    if (meta.seen) fail(source, "tensor '" + slice.name() + "' has more than one slice");
    meta.seen = true;
    check_key(key, slice.name(), meta.shape.size(), source);
    check_full_slice(slice.slice(), meta, slice.name(), source);
    std::vector<float> values = tensor_values(slice.data(), meta.dtype, slice.name(), source);
    if (values.size() != meta.count) {
      fail(source, "tensor '" + slice.name() + "' of shape " + shape_string(meta.shape) +
                       " holds " + std::to_string(values.size()) + " values instead of " +
                       std::to_string(meta.count));
    }
    tensors.push_back(NamedTensor{slice.name(), meta.shape, std::move(values)});
  });
  if (!have_meta) fail(source, "no metadata entry (empty key)");
  for (const auto& [name, meta] : metas) {
    if (!meta.seen) fail(source, "tensor '" + name + "' is listed in the metadata but has no data");
  }
  return tensors;
}

}  // namespace prnn
