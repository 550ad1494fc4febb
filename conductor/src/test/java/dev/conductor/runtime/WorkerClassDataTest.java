package dev.conductor.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker class-data archive on real JVMs: the first worker writes it as it exits, one at a
 * time, a killed one writes none, and a later worker starts from it (proved with -Xshare:on, under
 * which a JVM refuses to start unless it maps the archive).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerClassDataTest {
  @TempDir Path temp;
  private Path jar;
  private final String java =
      ProcessHandle.current()
          .info()
          .command()
          .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());

  @BeforeEach
  void probeJar() throws Exception {
    jar = temp.resolve("probe.jar");
    String entry = ClassDataProbe.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(entry));
      try (var in = ClassDataProbe.class.getClassLoader().getResourceAsStream(entry)) {
        in.transferTo(out);
      }
      out.closeEntry();
    }
  }

  @Test
  void theFirstWorkerWritesTheArchiveAsItExitsAndLaterOnesStartFromIt() throws Exception {
    WorkerClassData classData =
        new WorkerClassData(temp.resolve("home"), jar.toString(), java, true);

    WorkerClassData.Use first = classData.next(UUID.randomUUID());
    WorkerClassData.Use meanwhile = classData.next(UUID.randomUUID());
    assertThat(first.options()).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
    assertThat(meanwhile.options()).as("one writer at a time").isEmpty();

    assertThat(run(first.options(), "end").waitFor()).isZero();
    first.afterExit().run();
    assertThat(classData.archive()).isRegularFile();
    assertThat(Files.list(classData.archive().getParent())).hasSize(1);

    WorkerClassData.Use later = classData.next(UUID.randomUUID());
    assertThat(later.options()).contains("-XX:SharedArchiveFile=" + classData.archive());
    List<String> mustMap = new ArrayList<>(later.options());
    mustMap.add("-Xshare:on");
    assertThat(run(mustMap, "end").waitFor()).as("starts only if it maps the archive").isZero();
  }

  @Test
  void aKilledWorkerWritesNoArchiveAndTheNextOneWritesIt() throws Exception {
    WorkerClassData classData =
        new WorkerClassData(temp.resolve("home"), jar.toString(), java, true);

    WorkerClassData.Use killed = classData.next(UUID.randomUUID());
    Process process = run(killed.options(), "wait");
    process.destroyForcibly().waitFor();
    killed.afterExit().run();
    assertThat(classData.archive()).doesNotExist();
    assertThat(Files.list(classData.archive().getParent())).isEmpty();

    WorkerClassData.Use next = classData.next(UUID.randomUUID());
    assertThat(next.options()).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
  }

  @Test
  void turnedOffNoWorkerWritesOrUsesAnArchive() {
    WorkerClassData classData =
        new WorkerClassData(temp.resolve("home"), jar.toString(), java, false);
    assertThat(classData.next(UUID.randomUUID()).options()).isEmpty();
  }

  @Test
  void aClassPathWithADirectoryGetsNoArchive() {
    WorkerClassData classData =
        new WorkerClassData(temp.resolve("home"), jar + ":" + temp, java, true);
    assertThat(classData.next(UUID.randomUUID()).options()).isEmpty();
  }

  private Process run(List<String> options, String mode) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(options);
    command.addAll(List.of("-cp", jar.toString(), ClassDataProbe.class.getName(), mode));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(temp.resolve("out.log").toFile()))
        .start();
  }
}
