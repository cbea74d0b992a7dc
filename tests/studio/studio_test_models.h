// A models folder for the studio tests: copies of the two Magenta-layout fixtures, an
// unconditioned performance_with_dynamics (3x8) and an
// optional_multiconditioned_performance_with_dynamics (2x8), under the shipped names so
// that "auto" picks them as it picks the real ones.
#pragma once

#include <filesystem>
#include <string>

namespace prnn::testing {

inline std::string studio_models_dir() {
  const std::string fixtures = std::string(PRNN_SOURCE_DIR) + "/tests/fixtures/generate/";
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("prnn_studio_models_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(fixtures + "magenta_layout_3x8.mag", dir / "unconditioned_3x8.mag",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(fixtures + "magenta_layout_conditioned_2x8.mag",
                             dir / "conditioned_2x8.mag",
                             std::filesystem::copy_options::overwrite_existing);
  return dir.string();
}

}  // namespace prnn::testing
