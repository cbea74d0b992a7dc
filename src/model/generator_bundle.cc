#include "model/generator_bundle.h"

#include "base/error.h"
#include "base/file.h"
#include "proto/generator.pb.h"

namespace prnn {

GeneratorBundleContents read_generator_bundle(const std::string& path) {
  std::string bytes = read_file(path);
  magenta::GeneratorBundle bundle;
  if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
      !bundle.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw InputError(path +
                     ": not a generator bundle (the GeneratorBundle protobuf does not parse)");
  }
  if (bundle.generator_details().id().empty()) {
    throw InputError(path + ": generator bundle has an empty generator id");
  }
  if (bundle.checkpoint_file_size() == 0 || bundle.checkpoint_file(0).empty()) {
    throw InputError(path + ": generator bundle holds no checkpoint file");
  }
  GeneratorBundleContents contents;
  contents.generator_id = bundle.generator_details().id();
  contents.generator_description = bundle.generator_details().description();
  contents.bundle_description = bundle.bundle_details().description();
  contents.checkpoint = std::move(*bundle.mutable_checkpoint_file(0));
  return contents;
}

void write_generator_bundle(const std::string& path, const GeneratorBundleContents& contents) {
  if (contents.generator_id.empty()) throw InputError(path + ": a bundle needs a generator id");
  magenta::GeneratorBundle bundle;
  bundle.mutable_generator_details()->set_id(contents.generator_id);
  bundle.mutable_generator_details()->set_description(contents.generator_description);
  bundle.add_checkpoint_file(contents.checkpoint);
  if (!contents.bundle_description.empty()) {
    bundle.mutable_bundle_details()->set_description(contents.bundle_description);
  }
  write_file_atomic(path, bundle.SerializeAsString());
}

}  // namespace prnn
