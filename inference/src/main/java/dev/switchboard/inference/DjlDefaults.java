package dev.switchboard.inference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DJL's system properties, set before the first DJL class initialises (its {@code Engine} does work in a static
 * initialiser, including an EC2 telemetry call). Offline mode makes DJL use only what the JARs carry: the
 * tokenizers native library for the CPU (never the CUDA build it would otherwise download when it sees a GPU),
 * and no model zoo or telemetry requests. A value set explicitly (property or {@code DJL_OFFLINE}) is kept.
 */
final class DjlDefaults {
  private static final Logger LOG = LoggerFactory.getLogger(DjlDefaults.class);
  private static final String OFFLINE = "ai.djl.offline";
  private static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";
  private static final String NO_ALTERNATIVE_ENGINE = "ai.djl.onnx.disable_alternative";

  private DjlDefaults() {}

  static synchronized void apply() {
    if (System.getProperty(OFFLINE) == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty(OFFLINE, "true");
    }
    if (!Boolean.parseBoolean(System.getProperty(OFFLINE, System.getenv("DJL_OFFLINE")))) {
      LOG.warn("DJL offline mode is off: DJL may download native libraries or models");
    }
    setIfAbsent(OPT_OUT_TRACKING, "true");
    // We pool vectors in Java; an NDArray operation OnnxRuntime lacks must fail, not look for PyTorch.
    setIfAbsent(NO_ALTERNATIVE_ENGINE, "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
