#include "train/summary_writer.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "base/error.h"
#include "base/tfrecord.h"
#include "proto/tf_event.pb.h"

namespace prnn {
namespace {

double wall_time_now() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

SummaryWriter::SummaryWriter(const std::string& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) throw InputError(directory + ": cannot create directory: " + error.message());
  char host[256] = "localhost";
  ::gethostname(host, sizeof host - 1);
  double now = wall_time_now();
  path_ = directory + "/events.out.tfevents." + std::to_string(static_cast<int64_t>(now)) + "." +
          host + "." + std::to_string(::getpid());
  file_ = std::fopen(path_.c_str(), "ab");
  if (!file_) throw InputError(path_ + ": cannot create event file: " + std::strerror(errno));
  tensorflow::Event event;
  event.set_wall_time(now);
  event.set_file_version("brain.Event:2");
  write_event(event.SerializeAsString());
}

SummaryWriter::~SummaryWriter() {
  if (file_) std::fclose(file_);
}

void SummaryWriter::add_scalars(int64_t step,
                                const std::vector<std::pair<std::string, float>>& scalars) {
  tensorflow::Event event;
  event.set_wall_time(wall_time_now());
  event.set_step(step);
  for (const auto& [tag, value] : scalars) {
    tensorflow::Summary::Value* entry = event.mutable_summary()->add_value();
    entry->set_tag(tag);
    entry->set_simple_value(value);
  }
  write_event(event.SerializeAsString());
}

void SummaryWriter::write_event(const std::string& serialized_event) {
  std::string record = frame_tfrecord(serialized_event);
  if (std::fwrite(record.data(), 1, record.size(), file_) != record.size() ||
      std::fflush(file_) != 0) {
    throw InputError(path_ + ": cannot write event: " + std::strerror(errno));
  }
}

}  // namespace prnn
