package dev.hangcheck.differential;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.common.collect.ImmutableList;
import com.google.testing.compile.JavaFileObjects;
import dev.hangcheck.differential.Oracle.Site;
import dev.hangcheck.differential.ProgramGenerator.Program;
import dev.hangcheck.differential.ProgramGenerator.SourceFile;
import dev.hangcheck.testing.EndToEnd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Differential test of LockOrderInversion against {@link Oracle}, on programs from {@link
 * ProgramGenerator}: for every seed, the set of (file, line, held lock, acquired lock) of the
 * findings must be exactly the oracle's, and compiling the files in another order must give the
 * same diagnostics, file by file, in the same order within each file.
 *
 * <p>A javac run costs about as much for one small program as for ten, so the programs of
 * consecutive seeds are compiled together ({@code hangcheck.differential.batch}, default 10): every
 * class name carries its seed, so their lock graphs are disjoint and every diagnostic belongs to
 * the seed of its file. Each batch is compiled twice: files in generation order, then shuffled.
 *
 * <p>{@code -Dhangcheck.differential.seeds=5000} runs seeds 1..5000 (default 200); {@code
 * -Dhangcheck.differential.only=17,42} runs just those seeds, each on its own.
 */
final class DifferentialTest {

  private static final Pattern DIAGNOSTIC =
      Pattern.compile("^([^:]+\\.java):(\\d+): \\[(\\w+)\\] (.*)$", Pattern.DOTALL);
  private static final Pattern CYCLE = Pattern.compile("^Lock-order cycle (.+?) -> (.+?) -> ");

  /** The oracle follows calls at any depth and reports every cycle: so must the check here. */
  private static final String ANY_DEPTH =
      EndToEnd.LOCK_ORDER
          + " -XepOpt:Hangcheck:LockOrderMaxCallDepth=unlimited"
          + " -XepOpt:Hangcheck:LockOrderMaxCycleCalls=unlimited";

  /** Full reports in the failure message; all failing seeds are listed regardless. */
  private static final int DETAILED_REPORTS = 5;

  @Test
  void checkerAgreesWithTheOracle() {
    String only = System.getProperty("hangcheck.differential.only", "").strip();
    List<Long> seeds = new ArrayList<>();
    int batchSize;
    if (!only.isEmpty()) {
      for (String s : only.split(",")) {
        seeds.add(Long.parseLong(s.strip()));
      }
      batchSize = 1;
    } else {
      int count = Integer.getInteger("hangcheck.differential.seeds", 200);
      for (long seed = 1; seed <= count; seed++) {
        seeds.add(seed);
      }
      batchSize = Math.max(1, Integer.getInteger("hangcheck.differential.batch", 10));
    }

    Path reportFile = Path.of("target", "differential", "report.txt");
    try {
      Files.deleteIfExists(reportFile); // a stale report of an earlier run would mislead
    } catch (IOException e) {
      System.out.println("could not delete " + reportFile.toAbsolutePath() + ": " + e);
    }
    Map<Long, String> failures = new LinkedHashMap<>();
    List<Long> onlyReacquisition = new ArrayList<>();
    int withFindings = 0;
    int expectedTotal = 0;
    int compilations = 0;
    long start = System.nanoTime();
    for (int from = 0; from < seeds.size(); from += batchSize) {
      List<Program> batch = new ArrayList<>();
      for (long seed : seeds.subList(from, Math.min(seeds.size(), from + batchSize))) {
        batch.add(ProgramGenerator.generate(seed));
      }
      compilations += 2;
      for (Map.Entry<Program, String> failure : checkBatch(batch).entrySet()) {
        Program program = failure.getKey();
        failures.put(program.seed(), "==== seed " + program.seed() + "\n" + failure.getValue());
        if (failure.getValue().contains(REACQUISITION_ONLY)) {
          onlyReacquisition.add(program.seed());
        }
      }
      for (Program program : batch) {
        Set<Site> expected = Oracle.expected(program);
        expectedTotal += expected.size();
        withFindings += expected.isEmpty() ? 0 : 1;
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    List<Long> failing = new ArrayList<>(failures.keySet());
    List<Long> other = new ArrayList<>(failing);
    other.removeAll(onlyReacquisition);
    String summary =
        String.format(
            "%d seeds (%d with findings, %d expected findings in all), %d javac runs (batches of"
                + " %d seeds), %d ms;"
                + " %d failing seeds: %s%n  of which failing only by edges into locks already"
                + " held (re-acquisition): %s%n  failing for other reasons: %s",
            seeds.size(),
            withFindings,
            expectedTotal,
            compilations,
            batchSize,
            millis,
            failing.size(),
            failing,
            onlyReacquisition,
            other);
    System.out.println("DifferentialTest: " + summary);
    if (!failing.isEmpty()) {
      // Unexplained failures first, the shortest reports first within each group.
      Comparator<Long> shortestFirst = Comparator.comparingInt(seed -> failures.get(seed).length());
      other.sort(shortestFirst);
      onlyReacquisition.sort(shortestFirst);
      List<Long> shown = new ArrayList<>(other);
      shown.addAll(onlyReacquisition);
      StringBuilder all = new StringBuilder(summary).append("\n\n");
      for (long seed : shown) {
        all.append(failures.get(seed)).append('\n');
      }
      try {
        Files.createDirectories(reportFile.getParent());
        Files.writeString(reportFile, all);
      } catch (IOException e) {
        System.out.println("could not write " + reportFile.toAbsolutePath() + ": " + e);
      }
      StringBuilder report = new StringBuilder();
      for (long seed : shown.subList(0, Math.min(DETAILED_REPORTS, shown.size()))) {
        report.append(failures.get(seed)).append('\n');
      }
      fail(
          "LockOrderInversion disagrees with the oracle: "
              + summary
              + "\n(every failing seed, with its program: "
              + reportFile.toAbsolutePath()
              + "; rerun one seed with -Dhangcheck.differential.only=SEED)\n\n"
              + report);
    }
  }

  /**
   * Triage label: the checker before commit 4747ac4 made edges from the other held locks into a
   * lock taken again while held. Only labels a failure; never makes one pass.
   */
  private static final String REACQUISITION_ONLY =
      "  (all differences are edges into a lock already held at the site: taking a held lock"
          + " again, directly or through calls, is reentrant and must not be an edge)\n";

  /** Compiles the programs together, in two orders; what differs, by program. */
  private static Map<Program, String> checkBatch(List<Program> batch) {
    List<JavaFileObject> files = new ArrayList<>();
    Map<String, Program> programOfFile = new HashMap<>();
    for (Program program : batch) {
      for (SourceFile f : program.files()) {
        files.add(JavaFileObjects.forSourceString(f.binaryName(), f.text()));
        programOfFile.put(f.fileName(), program);
      }
    }
    List<JavaFileObject> shuffled = new ArrayList<>(files);
    Collections.shuffle(shuffled, new Random(batch.get(0).seed() * 7919 + batch.size()));
    if (shuffled.equals(files)) {
      Collections.rotate(shuffled, 1);
    }

    Map<Program, String> failures = new LinkedHashMap<>();
    ImmutableList<String> diagnostics;
    ImmutableList<String> shuffledDiagnostics;
    try {
      diagnostics = EndToEnd.diagnostics(EndToEnd.compile(ANY_DEPTH, files));
      shuffledDiagnostics = EndToEnd.diagnostics(EndToEnd.compile(ANY_DEPTH, shuffled));
    } catch (AssertionError | RuntimeException e) {
      for (Program program : batch) {
        failures.put(
            program,
            "  compilation of the batch failed (a generator bug, or the checker crashed): "
                + e
                + "\n"
                + program.listing());
      }
      return failures;
    }

    Map<Program, List<String>> byProgram = new HashMap<>();
    Map<Program, List<String>> shuffledByProgram = new HashMap<>();
    List<String> stray = new ArrayList<>();
    group(diagnostics, programOfFile, byProgram, stray);
    group(shuffledDiagnostics, programOfFile, shuffledByProgram, stray);
    for (Program program : batch) {
      String problem =
          check(
              program,
              byProgram.getOrDefault(program, List.of()),
              shuffledByProgram.getOrDefault(program, List.of()),
              stray);
      if (problem != null) {
        failures.put(program, problem);
      }
    }
    return failures;
  }

  private static void group(
      List<String> diagnostics,
      Map<String, Program> programOfFile,
      Map<Program, List<String>> into,
      List<String> stray) {
    for (String d : diagnostics) {
      Program program = programOfFile.get(d.substring(0, d.indexOf(':')));
      if (program == null) {
        stray.add(d);
      } else {
        into.computeIfAbsent(program, p -> new ArrayList<>()).add(d);
      }
    }
  }

  /** Null if the checker agrees with the oracle on {@code program}, else what differs. */
  private static String check(
      Program program,
      List<String> diagnostics,
      List<String> shuffledDiagnostics,
      List<String> stray) {
    Set<Site> expected = Oracle.expected(program);
    StringBuilder problems = new StringBuilder();
    int otherProblems = stray.size();
    for (String d : stray) {
      problems.append("  diagnostic outside the generated files: ").append(d).append('\n');
    }
    Set<Site> actual = new TreeSet<>(Site.ORDER);
    Set<String> seen = new HashSet<>();
    for (String d : diagnostics) {
      if (!seen.add(d)) {
        problems.append("  reported twice: ").append(d).append('\n');
        otherProblems++;
      }
      Matcher m = DIAGNOSTIC.matcher(d);
      if (!m.matches() || !m.group(3).equals("LockOrderInversion")) {
        problems.append("  unparseable diagnostic: ").append(d).append('\n');
        otherProblems++;
        continue;
      }
      Matcher cycle = CYCLE.matcher(m.group(4));
      if (!cycle.find()) {
        problems.append("  not a lock-order cycle: ").append(d).append('\n');
        otherProblems++;
        continue;
      }
      actual.add(
          new Site(m.group(1), Integer.parseInt(m.group(2)), cycle.group(1), cycle.group(2)));
    }
    // One finding per site, naming one of the edges the oracle reports there.
    Map<String, Set<Site>> expectedByPlace = new TreeMap<>();
    for (Site s : expected) {
      expectedByPlace.computeIfAbsent(s.place(), k -> new TreeSet<>(Site.ORDER)).add(s);
    }
    Set<Site> missing = new TreeSet<>(Site.ORDER);
    Set<String> reportedPlaces = new HashSet<>();
    Set<Site> unexpected = new TreeSet<>(Site.ORDER);
    for (Site s : actual) {
      if (!reportedPlaces.add(s.place())) {
        unexpected.add(s); // a second finding at one site
      } else if (!expectedByPlace.getOrDefault(s.place(), Set.of()).contains(s)) {
        unexpected.add(s);
      }
    }
    expectedByPlace.forEach(
        (place, sites) -> {
          if (!reportedPlaces.contains(place)) {
            missing.addAll(sites);
          }
        });
    for (Site s : missing) {
      problems.append("  missing (expected, not reported): ").append(s).append('\n');
    }
    for (Site s : unexpected) {
      problems.append("  unexpected (reported, not expected): ").append(s).append('\n');
    }
    boolean sitesDiffer = !missing.isEmpty() || !unexpected.isEmpty();

    List<String> sorted = sortedByFile(diagnostics);
    List<String> shuffledSorted = sortedByFile(shuffledDiagnostics);
    if (!sorted.equals(shuffledSorted)) {
      otherProblems++;
      problems.append(
          "  diagnostics depend on the order of the files; with the files shuffled (sorted by"
              + " file):\n");
      for (String d : shuffledSorted) {
        problems.append("    ").append(d).append('\n');
      }
    }

    if (problems.length() == 0) {
      return null;
    }
    StringBuilder out = new StringBuilder(problems);
    if (sitesDiffer
        && otherProblems == 0
        && Oracle.expectedIfReacquiringMadeEdges(program).containsAll(actual)) {
      out.append(REACQUISITION_ONLY);
    }
    out.append("  expected findings:\n");
    for (Site s : expected) {
      out.append("    ").append(s).append('\n');
    }
    out.append("  all edges (oracle):\n");
    for (Site s : Oracle.edges(program)) {
      out.append("    ").append(s).append('\n');
    }
    out.append("  diagnostics (sorted by file):\n");
    for (String d : sorted) {
      out.append("    ").append(d).append('\n');
    }
    out.append(program.listing());
    return out.toString();
  }

  /** Stable sort on the file name only: the order within one file is kept as reported. */
  private static List<String> sortedByFile(List<String> diagnostics) {
    List<String> sorted = new ArrayList<>(diagnostics);
    sorted.sort(Comparator.comparing(line -> line.substring(0, line.indexOf(':'))));
    return sorted;
  }
}
