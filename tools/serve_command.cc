// `performance_rnn serve`: the studio (src/studio/studio_server.h), the page in web/ and
// live streams for every browser tab from batched engines, one per CPU.
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "base/error.h"
#include "base/flags.h"
#include "base/log.h"
#include "cli/command.h"
#include "nn/isa.h"
#include "studio/static_files.h"
#include "studio/studio_server.h"

namespace prnn {
namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

int serve_body(int argc, char** argv) {
  StudioServerOptions options;
  StudioEngineOptions engine;
  std::string bundle_file, run_dir, models_dir, allow_origin,
      log_level = "INFO", isa = "auto", weights = weight_format_name(engine.kernels.weights);
  int64_t seed = 0;
  FlagSet flags("performance_rnn serve",
                "The studio: plays models live in the browser, for many listeners at once.\n"
                "Open http://HOST:PORT/ in a browser.");
  flags.add("host", &options.host, "address to listen on (other than loopback: a warning)");
  flags.add("port", &options.port, "port (0: any free port; the chosen one is printed)");
  flags.add("bundle_file", &bundle_file, "a model to play (.mag bundle or checkpoint file)");
  flags.add("run_dir", &run_dir, "play the newest checkpoint of RUN_DIR/train");
  flags.add("models_dir", &models_dir,
            "every model file in this folder can be chosen (default: the shipped models)");
  flags.add("max_clients", &options.max_clients, "streams at once; more get HTTP 503");
  flags.add("allow_origin", &allow_origin,
            "comma-separated origins (scheme://host:port) whose pages may connect too");
  flags.add("web_dir", &options.web_dir, "the page's folder (default: the installed web/)");
  flags.add("samples_dir", &options.samples_dir,
            "piano samples served under /samples/ (default: <web_dir>/samples if present)");
  flags.add("lookahead", &engine.lookahead, "seconds generated ahead of each client's playback");
  flags.add("isa", &isa, isa_flag_help());
  flags.add("weights", &weights, "weight storage of the networks: int8, bf16 or fp32");
  options.engines = 0;
  flags.add("engines", &options.engines,
            "generation threads, each stepping its own share of the clients (0: one per CPU)");
  flags.add("threads", &engine.threads,
            "threads in each network step (OpenMP; 0: automatic: one with several engines, "
            "else one or two, whichever runs faster)");
  flags.add("header_timeout", &options.header_timeout, "seconds for a request's header");
  flags.add("idle_timeout", &options.idle_timeout, "seconds before a silent connection closes");
  flags.add("seed", &seed, "seed of the clients' streams (0: random)");
  flags.add("log", &log_level, "log level: DEBUG, INFO, WARN, ERROR, FATAL");
  if (!flags.parse(argc, argv)) return 0;
  select_isa(isa);
  engine.kernels = NetworkKernels::fast(parse_weight_format(weights, "--weights"));
  if (!flags.positional().empty()) {
    throw UsageError("unexpected argument '" + flags.positional()[0] + "'");
  }
  set_log_level(log_level);
  if (!bundle_file.empty() && !run_dir.empty()) {
    throw UsageError("give --bundle_file or --run_dir, not both");
  }
  if (options.max_clients < 1 || options.max_clients > 4096) {
    throw UsageError("--max_clients: 1 to 4096");
  }
  if (!(engine.lookahead >= 0.05 && engine.lookahead <= 10)) {
    throw UsageError("--lookahead: 0.05 to 10 seconds");
  }
  if (!(options.header_timeout > 0) || !(options.idle_timeout > 0)) {
    throw UsageError("--header_timeout and --idle_timeout must be positive");
  }
  if (engine.threads < 0 || engine.threads > 64) throw UsageError("--threads: 0 to 64");
  if (options.engines < 0 || options.engines > 64) throw UsageError("--engines: 0 to 64");
  options.seed = static_cast<uint64_t>(seed);
  options.allowed_origins = split_list(allow_origin);
  if (options.web_dir.empty()) options.web_dir = default_web_dir();
  if (options.samples_dir.empty() && std::filesystem::is_directory(options.web_dir + "/samples")) {
    options.samples_dir = options.web_dir + "/samples";
  }
  if (options.host != "127.0.0.1" && options.host != "localhost" && options.host != "::1") {
    log_warn("serve: listening on " + options.host +
             ", not only this machine: anyone who can reach it can use the studio");
  }
  const ModelCatalog catalog(models_dir.empty() ? shipped_models_folder() : models_dir,
                             bundle_file.empty() ? run_dir : bundle_file);
  StudioServer server(options, catalog, engine);
  std::string names;
  for (const auto& model : catalog.models()) names += (names.empty() ? "" : ", ") + model->name;
  const std::string host =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  std::printf("studio: http://%s:%d/ (models: %s; %s)\n", host.c_str(), server.port(),
              names.c_str(), engine.kernels.name().c_str());
  std::fflush(stdout);
  server.run();
  std::printf("studio: stopped\n");
  return 0;
}

int serve_main(int argc, char** argv) { return run_guarded("serve", serve_body, argc, argv); }

}  // namespace

PRNN_COMMAND("serve", "the studio: live generation in the browser (HTTP + WebSocket)", serve_main);

}  // namespace prnn
