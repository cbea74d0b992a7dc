// `performance_rnn configs`: lists the Performance RNN configurations and their shapes.
#include <cstdio>
#include <string>

#include "base/flags.h"
#include "cli/command.h"
#include "performance/config.h"

namespace {

std::string join(const std::vector<int>& values) {
  std::string text;
  for (int v : values) text += (text.empty() ? "" : ",") + std::to_string(v);
  return text;
}

int configs_body(int argc, char** argv) {
  prnn::FlagSet flags("performance_rnn configs",
                      "Lists the configurations accepted by --config, with the generator id "
                      "written to bundles, velocity bins, input layout (dense floats + one-hot "
                      "groups), output heads and control signals.");
  if (!flags.parse(argc, argv)) return 0;
  std::printf("%-52s %-46s %4s %6s %6s %-24s %s\n", "config", "generator_id", "bins", "input",
              "dense", "onehot_groups/heads", "controls");
  for (const auto& config : prnn::performance_configs()) {
    const prnn::InputLayout layout = config.input_layout();
    std::string controls;
    for (const auto& name : config.control_signal_names()) {
      controls += (controls.empty() ? "" : ",") + name;
    }
    if (config.optional_conditioning) controls += " (optional)";
    if (controls.empty()) controls = "-";
    std::printf(
        "%-52s %-46s %4d %6d %6d %-24s %s\n", std::string(config.name).c_str(),
        std::string(config.generator_id).c_str(), config.num_velocity_bins,
        config.magenta_input_size(), layout.dense_size,
        ("{" + join(layout.onehot_sizes) + "}/{" + join(config.output_heads()) + "}").c_str(),
        controls.c_str());
  }
  return 0;
}

int configs_main(int argc, char** argv) {
  return prnn::run_guarded("configs", configs_body, argc, argv);
}

}  // namespace

PRNN_COMMAND("configs", "list the Performance RNN configurations", configs_main);
