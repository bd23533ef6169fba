package dev.hangcheck.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the checks module import each other in one direction only: the lock model at
 * the bottom, then the library models and the flags, the engine, the analyses, the BugCheckers.
 * Read from the sources, so that a new import that breaks the layering fails the build.
 */
class PackageLayeringTest {

  /** Each package, with the layer it is in: a package may import only lower layers. */
  private static final Map<String, Integer> LAYERS =
      Map.of(
          "locks", 0,
          "catalog", 1,
          "config", 2,
          "engine", 3,
          "lockgraph", 4,
          "blocking", 4,
          "checks", 5);

  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?dev\\.hangcheck\\.([a-z]+)\\.", Pattern.MULTILINE);

  private static final Path SOURCES = Path.of("../checks/src/main/java/dev/hangcheck");

  @Test
  void everyPackageImportsOnlyLowerLayers() throws IOException {
    Map<String, Set<String>> imports = packageImports();
    assertEquals(LAYERS.keySet(), imports.keySet(), "a package was added or removed: place it in LAYERS");
    List<String> violations = new ArrayList<>();
    imports.forEach(
        (from, targets) -> {
          for (String to : targets) {
            if (LAYERS.get(to) >= LAYERS.get(from)) {
              violations.add(from + " imports " + to);
            }
          }
        });
    assertTrue(violations.isEmpty(), "imports against the layering: " + violations);
  }

  @Test
  void theLockModelDependsOnNoOtherPackage() throws IOException {
    assertEquals(Set.of(), packageImports().get("locks"));
  }

  private static Map<String, Set<String>> packageImports() throws IOException {
    Map<String, Set<String>> imports = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
        String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
        Set<String> targets = imports.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher matcher = IMPORT.matcher(Files.readString(file));
        while (matcher.find()) {
          if (!matcher.group(1).equals(pkg)) {
            targets.add(matcher.group(1));
          }
        }
      }
    }
    return imports;
  }
}
