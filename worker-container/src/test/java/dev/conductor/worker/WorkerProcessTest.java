package dev.conductor.worker;

import java.util.List;

/** The worker started from this test's class path, as the conductor's process runtime does. */
class WorkerProcessTest extends WorkerProcessScenario {
  @Override
  List<String> launch() {
    return List.of("-cp", System.getProperty("java.class.path"), WorkerMain.class.getName());
  }
}
