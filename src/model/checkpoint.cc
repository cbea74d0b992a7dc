#include "model/checkpoint.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/file.h"
#include "base/gzip.h"
#include "model/int8_tensors.h"
#include "nn/bf16.h"

namespace prnn {
namespace {

static_assert(std::endian::native == std::endian::little, "checkpoints are little-endian");

using Json = nlohmann::json;

constexpr uint64_t kMaxHeaderSize = 100 << 20;  // safetensors' own limit

const char* dtype_name(TensorStorage storage) {
  switch (storage) {
    case TensorStorage::kF32:
      return "F32";
    case TensorStorage::kBF16:
      return "BF16";
    case TensorStorage::kF16:
      return "F16";
    case TensorStorage::kI8:
      return "I8";
  }
  return "F32";
}

size_t dtype_bytes(TensorStorage storage) {
  switch (storage) {
    case TensorStorage::kF32:
      return 4;
    case TensorStorage::kI8:
      return 1;
    default:
      return 2;
  }
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

int64_t element_count(const std::vector<int64_t>& shape) {
  int64_t count = 1;
  for (int64_t d : shape) count *= d;
  return count;
}

void append_tensor(std::string& buffer, const std::vector<float>& values, TensorStorage storage) {
  size_t offset = buffer.size();
  buffer.resize(offset + values.size() * dtype_bytes(storage));
  char* out = buffer.data() + offset;
  for (size_t i = 0; i < values.size(); ++i) {
    if (storage == TensorStorage::kF32) {
      std::memcpy(out + 4 * i, &values[i], 4);
    } else if (storage == TensorStorage::kI8) {
      PRNN_CHECK(values[i] == std::nearbyint(values[i]) && std::fabs(values[i]) <= 127.0f);
      out[i] = static_cast<char>(static_cast<int8_t>(values[i]));
    } else {
      uint16_t bits =
          storage == TensorStorage::kBF16 ? bf16_from_float(values[i]) : float_to_f16(values[i]);
      std::memcpy(out + 2 * i, &bits, 2);
    }
  }
}

struct HeaderBuilder {
  Json header = Json::object();
  std::string data;

  void add(const std::string& name, const NamedTensor& tensor, TensorStorage storage) {
    PRNN_CHECK(static_cast<int64_t>(tensor.values.size()) == element_count(tensor.shape));
    PRNN_CHECK(!header.contains(name));
    uint64_t begin = data.size();
    append_tensor(data, tensor.values, storage);
    header[name] = {{"dtype", dtype_name(storage)},
                    {"shape", tensor.shape},
                    {"data_offsets", {begin, static_cast<uint64_t>(data.size())}}};
  }
};

std::string metadata_string(const Json& metadata, const std::string& key, const std::string& path) {
  auto it = metadata.find(key);
  if (it == metadata.end() || !it->is_string()) {
    throw InputError(path + ": checkpoint metadata lacks \"" + key + "\"");
  }
  return it->get<std::string>();
}

uint64_t metadata_number(const Json& metadata, const std::string& key, const std::string& path) {
  std::string text = metadata_string(metadata, key, path);
  char* end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || text[0] == '-') {
    throw InputError(path + ": checkpoint metadata \"" + key + "\" is not a number: " + text);
  }
  return value;
}

FileTensor decode_tensor(const std::string& path, const std::string& name, const Json& entry,
                         const char* data, uint64_t data_size) {
  auto fail = [&](const std::string& what) -> InputError {
    return InputError(path + ": tensor \"" + name + "\": " + what);
  };
  if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") ||
      !entry.contains("data_offsets")) {
    throw fail("header entry needs dtype, shape and data_offsets");
  }
  const Json& dtype = entry["dtype"];
  TensorStorage storage;
  if (dtype == "F32") {
    storage = TensorStorage::kF32;
  } else if (dtype == "BF16") {
    storage = TensorStorage::kBF16;
  } else if (dtype == "F16") {
    storage = TensorStorage::kF16;
  } else if (dtype == "I8") {
    storage = TensorStorage::kI8;
  } else {
    throw fail("unsupported dtype " + dtype.dump() + " (F32, BF16, F16, or I8 for int8 weights)");
  }
  NamedTensor tensor;
  tensor.name = name;
  const Json& shape = entry["shape"];
  if (!shape.is_array() || shape.size() > 8) throw fail("shape must be a list of at most 8 sizes");
  uint64_t count = 1;
  for (const Json& d : shape) {
    if (!d.is_number_unsigned() || d.get<uint64_t>() > data_size)
      throw fail("bad shape " + shape.dump());
    count *= d.get<uint64_t>();
    if (count > data_size) throw fail("shape " + shape.dump() + " exceeds the file");
    tensor.shape.push_back(d.get<int64_t>());
  }
  const Json& offsets = entry["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
      !offsets[1].is_number_unsigned()) {
    throw fail("data_offsets must be two unsigned integers");
  }
  uint64_t begin = offsets[0], end = offsets[1];
  if (begin > end || end > data_size) {
    throw fail("data_offsets " + offsets.dump() + " outside the data of " +
               std::to_string(data_size) + " bytes (truncated file?)");
  }
  if (end - begin != count * dtype_bytes(storage)) {
    throw fail("data_offsets " + offsets.dump() + " do not match shape " + shape.dump() + " of " +
               dtype.get<std::string>());
  }
  tensor.values.resize(count);
  const char* in = data + begin;
  for (uint64_t i = 0; i < count; ++i) {
    if (storage == TensorStorage::kF32) {
      std::memcpy(&tensor.values[i], in + 4 * i, 4);
    } else if (storage == TensorStorage::kI8) {
      tensor.values[i] = static_cast<int8_t>(in[i]);
    } else {
      uint16_t bits;
      std::memcpy(&bits, in + 2 * i, 2);
      tensor.values[i] = storage == TensorStorage::kBF16 ? bf16_to_float(bits) : f16_to_float(bits);
    }
  }
  return {std::move(tensor), storage};
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

TensorStorage parse_tensor_storage(const std::string& name) {
  if (name == "fp32") return TensorStorage::kF32;
  if (name == "bf16") return TensorStorage::kBF16;
  if (name == "fp16") return TensorStorage::kF16;
  throw UsageError("unknown tensor storage '" + name + "': expected fp32, bf16 or fp16");
}

const NamedTensor* Checkpoint::find_weight(const std::string& name) const {
  for (const NamedTensor& tensor : weights) {
    if (tensor.name == name) return &tensor;
  }
  return nullptr;
}

void write_checkpoint(const std::string& path, const Checkpoint& checkpoint,
                      TensorStorage weight_storage) {
  PRNN_CHECK(checkpoint.adam_m.size() == checkpoint.adam_v.size());
  PRNN_CHECK(checkpoint.adam_m.empty() || checkpoint.adam_m.size() == checkpoint.weights.size());
  HeaderBuilder builder;
  builder.header["__metadata__"] = {
      {"format", kCheckpointMagic},
      {"format_version", std::to_string(kCheckpointFormatVersion)},
      {"config", checkpoint.config},
      {"hparams", checkpoint.hparams},
      {"global_step", std::to_string(checkpoint.global_step)},
      {"adam_step", std::to_string(checkpoint.adam_step)},
      {"data_seed", std::to_string(checkpoint.data_seed)},
      {"data_position", std::to_string(checkpoint.data_position)},
  };
  PRNN_CHECK(weight_storage != TensorStorage::kI8);
  for (const Int8Matrix& matrix : checkpoint.int8) PRNN_CHECK(checkpoint.find_weight(matrix.name));
  for (const NamedTensor& tensor : checkpoint.weights) {
    auto int8 = std::find_if(checkpoint.int8.begin(), checkpoint.int8.end(),
                             [&](const Int8Matrix& m) { return m.name == tensor.name; });
    if (int8 == checkpoint.int8.end()) {
      builder.add(tensor.name, tensor, weight_storage);
      continue;
    }
    for (const FileTensor& part : int8_file_tensors(tensor, *int8))
      builder.add(part.tensor.name, part.tensor, part.storage);
  }
  for (size_t i = 0; i < checkpoint.adam_m.size(); ++i) {
    PRNN_CHECK(checkpoint.adam_m[i].shape == checkpoint.weights[i].shape);
    PRNN_CHECK(checkpoint.adam_v[i].shape == checkpoint.weights[i].shape);
    builder.add(checkpoint.weights[i].name + "/Adam", checkpoint.adam_m[i], TensorStorage::kF32);
    builder.add(checkpoint.weights[i].name + "/Adam_1", checkpoint.adam_v[i], TensorStorage::kF32);
  }
  std::string header = builder.header.dump();
  header.append((8 - header.size() % 8) % 8, ' ');  // align the data to 8 bytes
  uint64_t header_size = header.size();
  char size_bytes[8];
  std::memcpy(size_bytes, &header_size, 8);

  if (path.ends_with(".gz")) {
    write_file_atomic(path, gzip_compress(std::string(size_bytes, 8) + header + builder.data));
    return;
  }
  AtomicFileWriter writer(path);
  writer.write(std::string_view(size_bytes, 8));
  writer.write(header);
  writer.write(builder.data);
  writer.commit();
}

Checkpoint read_checkpoint(const std::string& path) {
  return parse_checkpoint(read_file_gunzipped(path), path);
}

bool is_checkpoint(std::string_view bytes) {
  if (bytes.size() < 9 || bytes[8] != '{') return false;
  uint64_t header_size;
  std::memcpy(&header_size, bytes.data(), 8);
  if (header_size > kMaxHeaderSize || header_size > bytes.size() - 8) return false;
  return bytes.substr(8, header_size).find(std::string("\"") + kCheckpointMagic + "\"") !=
         std::string_view::npos;
}

Checkpoint parse_checkpoint(std::string_view file, const std::string& path) {
  if (file.size() < 8) {
    throw InputError(path + ": not a checkpoint: " + std::to_string(file.size()) +
                     " bytes, shorter than the 8-byte header length");
  }
  uint64_t header_size;
  std::memcpy(&header_size, file.data(), 8);
  if (header_size > kMaxHeaderSize || header_size > file.size() - 8) {
    throw InputError(path + ": not a checkpoint or truncated: header length " +
                     std::to_string(header_size) + " but the file has " +
                     std::to_string(file.size()) + " bytes");
  }
  Json header = Json::parse(file.begin() + 8, file.begin() + 8 + header_size, nullptr, false);
  if (header.is_discarded() || !header.is_object()) {
    throw InputError(path + ": not a checkpoint: the header is not a JSON object");
  }
  auto metadata = header.find("__metadata__");
  if (metadata == header.end() || !metadata->is_object() || !metadata->contains("format") ||
      (*metadata)["format"] != kCheckpointMagic) {
    throw InputError(path +
                     ": a safetensors file but not a Performance RNN checkpoint "
                     "(no __metadata__.format = \"" +
                     std::string(kCheckpointMagic) + "\")");
  }
  uint64_t version = metadata_number(*metadata, "format_version", path);
  if (version != kCheckpointFormatVersion) {
    throw InputError(path + ": checkpoint format version " + std::to_string(version) +
                     " is not supported (this program reads version " +
                     std::to_string(kCheckpointFormatVersion) + ")");
  }
  Checkpoint checkpoint;
  checkpoint.config = metadata_string(*metadata, "config", path);
  checkpoint.hparams = metadata_string(*metadata, "hparams", path);
  checkpoint.global_step = static_cast<int64_t>(metadata_number(*metadata, "global_step", path));
  checkpoint.adam_step = static_cast<int64_t>(metadata_number(*metadata, "adam_step", path));
  checkpoint.data_seed = metadata_number(*metadata, "data_seed", path);
  checkpoint.data_position = metadata_number(*metadata, "data_position", path);

  const char* data = file.data() + 8 + header_size;
  uint64_t data_size = file.size() - 8 - header_size;
  std::vector<NamedTensor> first_moments, second_moments;
  std::vector<FileTensor> int8_parts;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == "__metadata__") continue;
    FileTensor decoded = decode_tensor(path, it.key(), it.value(), data, data_size);
    if (is_int8_part(it.key())) {
      int8_parts.push_back(std::move(decoded));
      continue;
    }
    if (decoded.storage == TensorStorage::kI8) {
      throw InputError(path + ": tensor \"" + it.key() +
                       "\": dtype I8 is only for the q of int8 weights (\"<weight>/int8\")");
    }
    NamedTensor tensor = std::move(decoded.tensor);
    if (ends_with(it.key(), "/Adam")) {
      first_moments.push_back(std::move(tensor));
    } else if (ends_with(it.key(), "/Adam_1")) {
      second_moments.push_back(std::move(tensor));
    } else {
      checkpoint.weights.push_back(std::move(tensor));
    }
  }
  checkpoint.int8 = read_int8_weights(std::move(int8_parts), checkpoint.weights, path);
  // Pair the moments with their weights, in the weights' order.
  auto take = [&](std::vector<NamedTensor>& moments, const std::string& suffix,
                  const NamedTensor& weight) {
    for (NamedTensor& moment : moments) {
      if (moment.name == weight.name + suffix) {
        if (moment.shape != weight.shape) {
          throw InputError(path + ": \"" + moment.name + "\" has shape " +
                           shape_text(moment.shape) + " but its weight has " +
                           shape_text(weight.shape));
        }
        return std::move(moment);
      }
    }
    throw InputError(path + ": optimizer state lacks \"" + weight.name + suffix + "\"");
  };
  if (!first_moments.empty() || !second_moments.empty()) {
    if (first_moments.size() != checkpoint.weights.size() ||
        second_moments.size() != checkpoint.weights.size()) {
      throw InputError(path + ": optimizer state does not cover every weight");
    }
    for (const NamedTensor& weight : checkpoint.weights) {
      checkpoint.adam_m.push_back(take(first_moments, "/Adam", weight));
      checkpoint.adam_v.push_back(take(second_moments, "/Adam_1", weight));
    }
  }
  return checkpoint;
}

std::vector<int64_t> stored_shape(const TensorSpec& tensor) {
  if (tensor.rows == 1) return {tensor.cols};
  return {tensor.rows, tensor.cols};
}

void check_checkpoint_matches(const Checkpoint& checkpoint, const std::string& path,
                              const std::string& config, const ParamArena& layout) {
  if (checkpoint.config != config) {
    throw InputError(path + ": checkpoint was written for config '" + checkpoint.config +
                     "', not for --config=" + config);
  }
  for (const TensorSpec& spec : layout.tensors()) {
    const NamedTensor* tensor = checkpoint.find_weight(spec.name);
    if (!tensor) {
      throw InputError(path + ": checkpoint lacks the weight \"" + spec.name + "\" of config " +
                       config + " (hparams in the checkpoint: " + checkpoint.hparams + ")");
    }
    if (tensor->shape != stored_shape(spec)) {
      throw InputError(
          path + ": weight \"" + spec.name + "\" has shape " + shape_text(tensor->shape) +
          " in the checkpoint but " + shape_text(stored_shape(spec)) + " in config " + config +
          " with the requested hparams (checkpoint hparams: " + checkpoint.hparams + ")");
    }
  }
  if (checkpoint.weights.size() != layout.tensors().size()) {
    throw InputError(path + ": checkpoint has " + std::to_string(checkpoint.weights.size()) +
                     " weights but config " + config + " with these hparams has " +
                     std::to_string(layout.tensors().size()) +
                     " (checkpoint hparams: " + checkpoint.hparams + ")");
  }
  for (const Int8Matrix& matrix : checkpoint.int8) {
    const TensorSpec* spec = layout.find(matrix.name);
    const int first_row = spec ? int8_first_row(layout, *spec) : -1;
    if (first_row < 0) {
      throw InputError(path + ": weight \"" + matrix.name +
                       "\" is stored in int8, but int8 generation keeps it in full precision");
    }
    if (matrix.first_row != first_row) {
      throw InputError(path + ": int8 weight \"" + matrix.name + "\" is quantized from row " +
                       std::to_string(matrix.first_row) +
                       " but int8 generation quantizes it from row " + std::to_string(first_row) +
                       " (the rows before stay in full precision)");
    }
  }
}

Checkpoint make_checkpoint(const std::string& config, const std::string& hparams,
                           int64_t global_step, const ParamArena& params,
                           const AdamOptimizer* adam) {
  Checkpoint checkpoint;
  checkpoint.config = config;
  checkpoint.hparams = hparams;
  checkpoint.global_step = global_step;
  auto copy = [](const ParamArena& arena, const TensorSpec& spec) {
    std::span<const float> view = arena.view(spec);
    return NamedTensor{spec.name, stored_shape(spec), {view.begin(), view.end()}};
  };
  for (const TensorSpec& spec : params.tensors()) {
    checkpoint.weights.push_back(copy(params, spec));
    if (adam) {
      checkpoint.adam_m.push_back(copy(adam->m, spec));
      checkpoint.adam_v.push_back(copy(adam->v, spec));
    }
  }
  if (adam) checkpoint.adam_step = adam->steps;
  return checkpoint;
}

void restore_checkpoint(const Checkpoint& checkpoint, const std::string& path,
                        const std::string& config, ParamArena& params, AdamOptimizer* adam) {
  check_checkpoint_matches(checkpoint, path, config, params);
  if (adam && checkpoint.adam_m.empty()) {
    throw InputError(path +
                     ": holds no optimizer state (an exported model?); cannot resume "
                     "training from it");
  }
  for (size_t i = 0; i < checkpoint.weights.size(); ++i) {
    const TensorSpec* spec = params.find(checkpoint.weights[i].name);
    PRNN_CHECK(spec != nullptr);
    std::copy(checkpoint.weights[i].values.begin(), checkpoint.weights[i].values.end(),
              params.view(*spec).begin());
    if (adam) {
      std::copy(checkpoint.adam_m[i].values.begin(), checkpoint.adam_m[i].values.end(),
                adam->m.view(*spec).begin());
      std::copy(checkpoint.adam_v[i].values.begin(), checkpoint.adam_v[i].values.end(),
                adam->v.view(*spec).begin());
    }
  }
  if (adam) adam->steps = checkpoint.adam_step;
}

uint16_t float_to_f16(float value) {
  uint32_t bits = std::bit_cast<uint32_t>(value);
  uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  uint32_t magnitude = bits & 0x7fffffffu;
  if (magnitude > 0x7f800000u) return sign | 0x7e00;              // NaN
  if (magnitude >= 0x477ff000u) return sign | 0x7c00;             // rounds to infinity
  if (magnitude < 0x38800000u) {                                  // half subnormal or zero
    float units = std::bit_cast<float>(magnitude) * 16777216.0f;  // in units of 2^-24
    return sign | static_cast<uint16_t>(std::nearbyint(units));
  }
  magnitude += 0xfffu + ((magnitude >> 13) & 1u);
  return sign | static_cast<uint16_t>((magnitude - 0x38000000u) >> 13);
}

float f16_to_float(uint16_t bits) {
  uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
  uint32_t exponent = (bits >> 10) & 0x1fu;
  uint32_t mantissa = bits & 0x3ffu;
  if (exponent == 0) {
    float magnitude = static_cast<float>(mantissa) / 16777216.0f;
    return sign ? -magnitude : magnitude;
  }
  if (exponent == 31) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
  return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

}  // namespace prnn
