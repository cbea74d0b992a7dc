// Magenta generator bundles (.mag): a GeneratorBundle protobuf (proto/generator.proto)
// holding the generator id (the config's Magenta id, e.g. "performance_with_dynamics"),
// descriptions and one checkpoint file. Magenta's bundles hold a TensorFlow V1 checkpoint;
// ours hold our own checkpoint format. doc/formats/magenta_bundle.md has the layout.
//
// read_generator_bundle parses the file (size-bounded) and throws InputError naming the
// path when it is missing, not a GeneratorBundle, has no id or no checkpoint.
// write_generator_bundle writes atomically. Thread-safe (no shared state).
#pragma once

#include <string>

namespace prnn {

struct GeneratorBundleContents {
  std::string generator_id;
  std::string generator_description;
  std::string bundle_description;
  std::string checkpoint;  // the bytes of checkpoint_file[0]
};

GeneratorBundleContents read_generator_bundle(const std::string& path);
void write_generator_bundle(const std::string& path, const GeneratorBundleContents& contents);

}  // namespace prnn
