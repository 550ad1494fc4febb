package dev.conductor.provisioning;

/** Receives each step of a provisioning run; the conductor stores them as operation events. */
public interface ProgressListener {
  void info(String message);

  void warn(String message);

  ProgressListener NONE =
      new ProgressListener() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}
      };
}
