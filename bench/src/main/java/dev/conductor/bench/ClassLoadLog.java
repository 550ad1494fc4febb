package dev.conductor.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one CLI run loaded, read from {@code -Xlog:class+load=info:file=F:uptime} lines such as
 * {@code [0.087s] dev.conductor.cli.ConductorCli source: file:/x/conductor.jar}: how many classes
 * came from the CDS archive, the JDK's modules, the jar and elsewhere (lambdas, proxies), and the
 * JVM uptime at marks of the run: when the first class whose name starts with a given prefix was
 * loaded (NaN if none was), and when the last class was.
 */
record ClassLoadLog(
    int shared,
    int jdk,
    int jar,
    int other,
    List<Double> marks,
    double lastMillis,
    List<String> jarClasses) {

  private static final Pattern LINE = Pattern.compile("^\\[([0-9.]+)s\\] (\\S+) source: (.*)$");

  int total() {
    return shared + jdk + jar + other;
  }

  static ClassLoadLog parse(List<String> lines, List<String> markPrefixes) {
    int shared = 0;
    int jdk = 0;
    int jar = 0;
    int other = 0;
    double[] marks = new double[markPrefixes.size()];
    Arrays.fill(marks, Double.NaN);
    double last = Double.NaN;
    List<String> jarClasses = new ArrayList<>();
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      double millis = Double.parseDouble(m.group(1)) * 1000;
      String name = m.group(2);
      String source = m.group(3);
      last = millis;
      if (source.startsWith("shared objects file")) {
        shared++;
      } else if (source.startsWith("jrt:/")) {
        jdk++;
      } else if (source.startsWith("file:") || source.startsWith("jar:")) {
        jar++;
        jarClasses.add(name);
      } else {
        other++;
      }
      for (int i = 0; i < marks.length; i++) {
        if (Double.isNaN(marks[i]) && name.startsWith(markPrefixes.get(i))) {
          marks[i] = millis;
        }
      }
    }
    return new ClassLoadLog(
        shared,
        jdk,
        jar,
        other,
        Arrays.stream(marks).boxed().toList(),
        last,
        List.copyOf(jarClasses));
  }

  /** The jar entry a loaded class came from: {@code a.b.C$D} → {@code a/b/C$D.class}. */
  static String entry(String className) {
    return className.replace('.', '/') + ".class";
  }
}
