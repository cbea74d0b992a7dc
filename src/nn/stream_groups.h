// How the step kernels walk the streams of a batched product: in groups of at most kMax
// streams, one register tile per group, the group sizes as even as possible (10 streams in
// groups of at most 3: 3, 3, 2, 2), since a small last group keeps too few accumulators
// busy to hide the multiply-add latency.
#pragma once

namespace prnn {

// tile.template operator()<N>(first) for N = size (1 <= size <= kMax).
template <int kMax, typename Tile>
void call_stream_group(int size, int first, Tile& tile) {
  if constexpr (kMax > 1) {
    if (size < kMax) return call_stream_group<kMax - 1>(size, first, tile);
  }
  tile.template operator()<kMax>(first);
}

// tile.template operator()<N>(first) for each group of N streams starting at `first`,
// covering streams [0, num_streams) in order.
template <int kMax, typename Tile>
void for_stream_groups(int num_streams, Tile tile) {
  const int groups = (num_streams + kMax - 1) / kMax;
  int first = 0;
  for (int g = 0; g < groups; ++g) {
    const int left = groups - g;
    const int size = (num_streams - first + left - 1) / left;
    call_stream_group<kMax>(size, first, tile);
    first += size;
  }
}

}  // namespace prnn
