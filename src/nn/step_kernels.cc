#include "nn/step_kernels.h"

#include "base/error.h"

namespace prnn {

const char* weight_format_name(WeightFormat format) {
  switch (format) {
    case WeightFormat::kBf16:
      return "bf16";
    case WeightFormat::kFp32:
      return "fp32";
    case WeightFormat::kInt8:
      return "int8";
  }
  return "?";
}

WeightFormat parse_weight_format(const std::string& text, const std::string& source) {
  for (WeightFormat format : {WeightFormat::kInt8, WeightFormat::kBf16, WeightFormat::kFp32}) {
    if (text == weight_format_name(format)) return format;
  }
  throw UsageError(source + "=" + text + ": not one of int8, bf16, fp32");
}

size_t weight_bytes(WeightFormat format) {
  return format == WeightFormat::kBf16 ? 2 : format == WeightFormat::kFp32 ? 4 : 1;
}

size_t input_bytes(WeightFormat format) { return format == WeightFormat::kBf16 ? 2 : 4; }

size_t packed_index(WeightFormat format, int group_width, int block, int k_pairs, int columns,
                    int kp, int e, int column) {
  const int groups = 16 / group_width, gate = column / 16, unit = column % 16;
  const int group = unit / group_width, lane = unit % group_width;
  const size_t pair_row = (static_cast<size_t>(block) * groups + group) * k_pairs + kp;
  const size_t group_columns = static_cast<size_t>(columns) / groups;  // G · W
  const size_t in_row = static_cast<size_t>(gate) * group_width + lane;
  if (format == WeightFormat::kBf16) return (pair_row * group_columns + in_row) * 2 + e;
  return (pair_row * 2 + e) * group_columns + in_row;
}

ProductArgs stream_range(const ProductArgs& a, int first, int count, size_t input_bytes) {
  const size_t b = static_cast<size_t>(first);
  ProductArgs part = a;
  part.num_streams = count;
  if (a.x != nullptr) part.x = static_cast<const uint8_t*>(a.x) + b * a.x_stride * input_bytes;
  for (int d = 0; d < 2; ++d) {
    if (a.h_out[d] != nullptr)
      part.h_out[d] = static_cast<uint8_t*>(a.h_out[d]) + b * a.h_out_stride[d] * input_bytes;
  }
  if (a.init != nullptr) part.init += b * a.init_stride;
  if (a.c != nullptr) part.c += b * a.hp;
  if (a.h != nullptr) part.h += b * a.hp;
  if (a.gates != nullptr) part.gates += b * a.gates_stride;
  return part;
}

const StepKernels& step_kernels(Isa isa, WeightFormat format) {
  PRNN_CHECK(cpu_supports(isa));
  switch (isa) {
    case Isa::kAvx512Bf16:
      if (format == WeightFormat::kBf16) return avx512_bf16_step_kernels();
      return avx512_step_kernels(format);
    case Isa::kAvx512:
      return avx512_step_kernels(format);
    case Isa::kAvx2:
      return avx2_step_kernels(format);
    case Isa::kBaseline:
      break;
  }
  return baseline_step_kernels(format);
}

}  // namespace prnn
