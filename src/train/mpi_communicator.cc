#include "train/mpi_communicator.h"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "base/error.h"

namespace prnn {
namespace {

// In-place sum of `count` values of `type`, split into calls of at most INT_MAX elements.
void allreduce_in_place(void* data, size_t count, MPI_Datatype type, size_t element_bytes) {
  char* bytes = static_cast<char*>(data);
  while (count > 0) {
    const int n = static_cast<int>(std::min<size_t>(count, INT_MAX));
    MPI_Allreduce(MPI_IN_PLACE, bytes, n, type, MPI_SUM, MPI_COMM_WORLD);
    bytes += static_cast<size_t>(n) * element_bytes;
    count -= static_cast<size_t>(n);
  }
}

void sum_floats(std::span<float> values) {
  allreduce_in_place(values.data(), values.size(), MPI_FLOAT, sizeof(float));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class MpiCommunicator final : public Communicator {
 public:
  explicit MpiCommunicator(bool overlap) {
    int provided = 0;
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) {
      throw InputError("MPI_Init_thread failed");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    overlap_ = overlap && provided >= MPI_THREAD_SERIALIZED;
    if (overlap_) thread_ = std::thread([this] { communicate(); });
  }

  ~MpiCommunicator() override {
    if (thread_.joinable()) {
      {
        std::lock_guard lock(mutex_);
        stopping_ = true;
      }
      changed_.notify_all();
      thread_.join();
    }
    MPI_Finalize();
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }

  std::string description() const override {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(version, &length);
    std::string text(version, static_cast<size_t>(length));
    text = text.substr(0, text.find(','));  // "Open MPI v4.1.4"
    return text + ", " + std::to_string(size_) + " ranks" +
           (overlap_ ? ", allreduce overlapped with the backward pass" : "");
  }

  std::vector<int64_t> allgather(std::span<const int64_t> values) override {
    std::vector<int64_t> all(values.size() * size_);
    MPI_Allgather(values.data(), static_cast<int>(values.size()), MPI_INT64_T, all.data(),
                  static_cast<int>(values.size()), MPI_INT64_T, MPI_COMM_WORLD);
    return all;
  }

  void broadcast(std::span<std::byte> data, int root) override {
    std::byte* bytes = data.data();
    size_t count = data.size();
    while (count > 0) {
      const int n = static_cast<int>(std::min<size_t>(count, INT_MAX));
      MPI_Bcast(bytes, n, MPI_BYTE, root, MPI_COMM_WORLD);
      bytes += n;
      count -= static_cast<size_t>(n);
    }
  }

  void sum(std::span<double> values) override {
    allreduce_in_place(values.data(), values.size(), MPI_DOUBLE, sizeof(double));
  }

  void start_sum(std::span<float> values) override {
    std::lock_guard lock(mutex_);
    pending_.push_back(values);
    if (overlap_) changed_.notify_all();
  }

  double finish_sums() override {
    const auto start = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    if (overlap_) {
      changed_.wait(lock, [&] { return pending_.empty(); });
      return seconds_since(start);
    }
    // Adjacent spans (the arena's buckets, reported top layer first) merged into one call.
    std::sort(pending_.begin(), pending_.end(),
              [](std::span<float> a, std::span<float> b) { return a.data() < b.data(); });
    std::vector<std::span<float>> merged;
    for (std::span<float> s : pending_) {
      if (!merged.empty() && merged.back().data() + merged.back().size() == s.data()) {
        merged.back() = {merged.back().data(), merged.back().size() + s.size()};
      } else {
        merged.push_back(s);
      }
    }
    pending_.clear();
    for (std::span<float> s : merged) sum_floats(s);
    return seconds_since(start);
  }

 private:
  // The communication thread: reduces started spans in order; front() stays in pending_
  // until its sum is done, so finish_sums() waits for it.
  void communicate() {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) return;  // stopping
      std::span<float> values = pending_.front();
      lock.unlock();
      sum_floats(values);
      lock.lock();
      pending_.pop_front();
      changed_.notify_all();
    }
  }

  int rank_ = 0, size_ = 1;
  bool overlap_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::span<float>> pending_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<Communicator> make_mpi_communicator(bool overlap) {
  return std::make_unique<MpiCommunicator>(overlap);
}

}  // namespace prnn
