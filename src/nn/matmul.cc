#include "nn/matmul.h"

#include <oneapi/dnnl/dnnl.hpp>

#include "base/error.h"
#include "nn/bf16.h"
#include "nn/per_isa.h"
#include "nn/thread_range.h"

namespace prnn {
namespace {

using dnnl::memory;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpu_stream() {
  static dnnl::stream stream(cpu_engine());
  return stream;
}

memory::data_type data_type(ElementType type) {
  return type == ElementType::kBf16 ? memory::data_type::bf16 : memory::data_type::f32;
}

memory::desc describe(const MatrixView& m, memory::data_type type) {
  if (m.transposed) {
    const int64_t ld = m.ld ? m.ld : m.rows;
    return memory::desc({m.rows, m.cols}, type, {1, ld});
  }
  const int64_t ld = m.ld ? m.ld : m.cols;
  return memory::desc({m.rows, m.cols}, type, {ld, 1});
}

bool same(const MatrixView& x, const MatrixView& y) {
  return x.rows == y.rows && x.cols == y.cols && x.ld == y.ld && x.transposed == y.transposed &&
         x.type == y.type;
}

// convert_to_bf16 of one thread's range, compiled per instruction set (nn/per_isa.h).
[[gnu::always_inline]] inline void convert_chunk_body(const float* source, uint16_t* destination,
                                                      int64_t n) {
#pragma omp simd
  for (int64_t i = 0; i < n; ++i) destination[i] = bf16_from_float(source[i]);
}
PRNN_PER_ISA(void, convert_chunk, (const float* source, uint16_t* destination, int64_t n),
             (source, destination, n))

}  // namespace

struct Matmul::State {
  MatrixView a, b;
  MatmulOptions options;
  dnnl::matmul primitive;
  dnnl::matmul::primitive_desc pd;
  memory a_mem, b_mem, c_mem, bias_mem;
  memory packed;  // owns its buffer when options.packed_b
  const char* impl = "";
};

Matmul::Matmul() = default;
Matmul::~Matmul() = default;
Matmul::Matmul(Matmul&&) noexcept = default;
Matmul& Matmul::operator=(Matmul&&) noexcept = default;

bool Matmul::initialized() const { return state_ != nullptr; }

void Matmul::init(const MatrixView& a, const MatrixView& b, const MatmulOptions& options) {
  PRNN_CHECK(a.cols == b.rows);
  if (state_ && same(state_->a, a) && same(state_->b, b) &&
      state_->options.accumulate == options.accumulate &&
      state_->options.with_bias == options.with_bias &&
      state_->options.packed_b == options.packed_b && state_->options.ldc == options.ldc) {
    return;
  }
  auto s = std::make_unique<State>();
  s->a = a;
  s->b = b;
  s->options = options;
  const memory::data_type type = data_type(a.type);
  const memory::desc a_md = describe(a, type);
  const memory::desc b_md = options.packed_b
                                ? memory::desc({b.rows, b.cols}, type, memory::format_tag::any)
                                : describe(b, type);
  const int64_t ldc = options.ldc ? options.ldc : b.cols;
  const memory::desc c_md({a.rows, b.cols}, memory::data_type::f32, {ldc, 1});
  dnnl::primitive_attr attr;
  if (options.accumulate) {
    dnnl::post_ops ops;
    ops.append_sum(1.0f);
    attr.set_post_ops(ops);
  }
  if (options.with_bias) {
    const memory::desc bias_md({1, b.cols}, memory::data_type::f32, {b.cols, 1});
    s->pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(a_md, b_md, bias_md, c_md), attr,
                                         cpu_engine());
    s->bias_mem = memory(bias_md, cpu_engine(), nullptr);
  } else {
    s->pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(a_md, b_md, c_md), attr, cpu_engine());
  }
  s->primitive = dnnl::matmul(s->pd);
  s->a_mem = memory(a_md, cpu_engine(), nullptr);
  s->c_mem = memory(c_md, cpu_engine(), nullptr);
  if (options.packed_b) {
    s->packed = memory(s->pd.weights_desc(), cpu_engine());  // allocates
  } else {
    s->b_mem = memory(b_md, cpu_engine(), nullptr);
  }
  s->impl = s->pd.impl_info_str();
  state_ = std::move(s);
}

void Matmul::pack_b(const float* source, const MatrixView& view) {
  PRNN_CHECK(state_ && state_->options.packed_b);
  PRNN_CHECK(view.rows == state_->b.rows && view.cols == state_->b.cols);
  memory src(describe(view, memory::data_type::f32), cpu_engine(), const_cast<float*>(source));
  dnnl::reorder(src, state_->packed).execute(cpu_stream(), src, state_->packed);
  cpu_stream().wait();
}

void Matmul::run(const void* a, const void* b, float* c, const float* bias) {
  State& s = *state_;
  s.a_mem.set_data_handle(const_cast<void*>(a));
  s.c_mem.set_data_handle(c);
  dnnl_exec_arg_t args[4];
  int n = 0;
  args[n++] = {DNNL_ARG_SRC, s.a_mem.get()};
  if (s.options.packed_b) {
    args[n++] = {DNNL_ARG_WEIGHTS, s.packed.get()};
  } else {
    s.b_mem.set_data_handle(const_cast<void*>(b));
    args[n++] = {DNNL_ARG_WEIGHTS, s.b_mem.get()};
  }
  if (s.options.with_bias) {
    PRNN_CHECK(bias != nullptr);
    s.bias_mem.set_data_handle(const_cast<float*>(bias));
    args[n++] = {DNNL_ARG_BIAS, s.bias_mem.get()};
  }
  args[n++] = {DNNL_ARG_DST, s.c_mem.get()};
  dnnl::error::wrap_c_api(dnnl_primitive_execute(s.primitive.get(), cpu_stream().get(), n, args),
                          "matmul");
}

const char* Matmul::implementation() const { return state_ ? state_->impl : ""; }

void convert_to_bf16(const float* source, uint16_t* destination, int64_t n) {
  parallel_chunks(n, kFloatsPerLine, [&](int64_t begin, int64_t end) {
    convert_chunk(source + begin, destination + begin, end - begin);
  });
}

}  // namespace prnn
