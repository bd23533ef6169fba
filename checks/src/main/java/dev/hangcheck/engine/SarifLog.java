package dev.hangcheck.engine;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.tree.JCTree;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Hangcheck findings of one javac run as SARIF 2.1.0, for code-scanning dashboards: one rule
 * per check with its documentation, one result per finding with the places its message names
 * ({@code relatedLocations}) and the path that leads to it ({@code codeFlows}). File locations are
 * relative to the directory javac runs in ({@code %SRCROOT%}) when they lie below it. Written
 * whole each time the run's findings are complete, sorted, so the same sources give the same file.
 */
final class SarifLog {

  static final String DOCS = "https://github.com/hangcheck-dev/hangcheck/blob/main/docs/";

  /** A check as SARIF describes it. */
  record Rule(String id, String summary, String level) {}

  /** A place in a file: 1-based line and column. */
  record Location(String uri, long line, long column, String message) {}

  record Result(
      String ruleId, String level, Location location, String message, List<Location> related, List<Location> flow) {}

  private static final Comparator<Result> ORDER =
      Comparator.comparing((Result r) -> r.location().uri())
          .thenComparingLong(r -> r.location().line())
          .thenComparingLong(r -> r.location().column())
          .thenComparing(Result::ruleId)
          .thenComparing(Result::message);

  private final Path file;
  private boolean written;
  private final Path root;
  private final Map<String, Rule> rules = new TreeMap<>();
  /** Per check, per file: the results last handed out there (a rebuilt index replaces them). */
  private final Map<String, Map<String, List<Result>>> results = new TreeMap<>();

  SarifLog(Path file, Path root) {
    this.file = file;
    this.root = root.toAbsolutePath().normalize();
  }

  void describe(Rule rule) {
    rules.putIfAbsent(rule.id(), rule);
  }

  /** The findings of {@code check} in {@code unit}, replacing any recorded there before. */
  void record(String check, CompilationUnitTree unit, List<Finding> findings) {
    Rule rule = rules.get(check);
    String level = rule == null ? "warning" : rule.level();
    List<Result> inUnit = new ArrayList<>();
    for (Finding finding : findings) {
      inUnit.add(
          new Result(
              check,
              level,
              location(unit, finding.site().tree(), ""),
              finding.message(),
              places(finding.related()),
              places(finding.flow())));
    }
    results.computeIfAbsent(check, k -> new TreeMap<>()).put(uriOf(unit), inUnit);
  }

  /** A diagnostic that is not a finding of the analysis (a declaration that cannot be used). */
  void recordAt(String check, CompilationUnitTree unit, Tree tree, String message) {
    Rule rule = rules.get(check);
    Result result =
        new Result(
            check, rule == null ? "error" : rule.level(), location(unit, tree, ""), message, List.of(), List.of());
    List<Result> inUnit =
        results
            .computeIfAbsent(check + "#declarations", k -> new TreeMap<>())
            .computeIfAbsent(uriOf(unit), k -> new ArrayList<>());
    if (!inUnit.contains(result)) {
      inUnit.add(result);
    }
  }

  /** Whether the file was written: what is recorded after must be written again. */
  boolean written() {
    return written;
  }

  private List<Location> places(List<Finding.Place> places) {
    List<Location> out = new ArrayList<>();
    for (Finding.Place place : places) {
      out.add(location(place.site().unit(), place.site().tree(), place.message()));
    }
    return out;
  }

  private Location location(CompilationUnitTree unit, Tree tree, String message) {
    int position =
        tree instanceof JCTree.JCMethodDecl method ? method.pos : ((JCTree) tree).getPreferredPosition();
    long line = Math.max(1, unit.getLineMap().getLineNumber(Math.max(0, position)));
    long column = Math.max(1, unit.getLineMap().getColumnNumber(Math.max(0, position)));
    return new Location(uriOf(unit), line, column, message);
  }

  /** Relative to the root when below it ({@code src/main/java/A.java}), else an absolute URI. */
  private String uriOf(CompilationUnitTree unit) {
    URI uri = unit.getSourceFile().toUri();
    if ("file".equals(uri.getScheme())) {
      Path path = Path.of(uri).toAbsolutePath().normalize();
      if (path.startsWith(root)) {
        // Percent-encoded, as a URI reference must be: "My Sources/A.java" -> "My%20Sources/A.java".
        return root.toUri().relativize(path.toUri()).toString();
      }
    }
    return uri.toString();
  }

  void write() throws IOException {
    List<Result> all = new ArrayList<>();
    results.values().forEach(byFile -> byFile.values().forEach(all::addAll));
    all.sort(ORDER);
    List<String> ruleIds = new ArrayList<>(rules.keySet());
    Json json = new Json();
    json.open('{');
    json.field("$schema").string("https://json.schemastore.org/sarif-2.1.0.json");
    json.field("version").string("2.1.0");
    json.field("runs").open('[').open('{');
    json.field("tool").open('{').field("driver").open('{');
    json.field("name").string("Hangcheck");
    json.field("informationUri").string("https://github.com/hangcheck-dev/hangcheck");
    json.field("rules").open('[');
    for (Rule rule : rules.values()) {
      json.open('{');
      json.field("id").string(rule.id());
      json.field("name").string(rule.id());
      json.field("shortDescription").open('{').field("text").string(rule.summary()).close('}');
      json.field("helpUri").string(DOCS + rule.id() + ".md");
      json.field("defaultConfiguration").open('{').field("level").string(rule.level()).close('}');
      json.close('}');
    }
    json.close(']').close('}').close('}');
    json.field("originalUriBaseIds").open('{').field("%SRCROOT%").open('{');
    json.field("uri").string(root.toUri().toString());
    json.close('}').close('}');
    json.field("results").open('[');
    for (Result result : all) {
      json.open('{');
      json.field("ruleId").string(result.ruleId());
      json.field("ruleIndex").number(Math.max(0, ruleIds.indexOf(result.ruleId())));
      json.field("level").string(result.level());
      json.field("message").open('{').field("text").string(result.message()).close('}');
      json.field("locations").open('[');
      physical(json, result.location(), -1);
      json.close(']');
      if (!result.related().isEmpty()) {
        json.field("relatedLocations").open('[');
        for (int i = 0; i < result.related().size(); i++) {
          physical(json, result.related().get(i), i + 1);
        }
        json.close(']');
      }
      if (!result.flow().isEmpty()) {
        json.field("codeFlows").open('[').open('{').field("threadFlows").open('[').open('{');
        json.field("locations").open('[');
        for (Location step : result.flow()) {
          json.open('{').field("location");
          physical(json, step, -1);
          json.close('}');
        }
        json.close(']').close('}').close(']').close('}').close(']');
      }
      json.close('}');
    }
    json.close(']');
    json.close('}').close(']');
    json.close('}');
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, json.text() + "\n", StandardCharsets.UTF_8);
    written = true;
  }

  /** A {@code location} object; {@code id} for related locations, -1 for none. */
  private static void physical(Json json, Location location, int id) {
    json.open('{');
    if (id > 0) {
      json.field("id").number(id);
    }
    json.field("physicalLocation").open('{');
    json.field("artifactLocation").open('{').field("uri").string(location.uri());
    if (!location.uri().contains(":")) {
      json.field("uriBaseId").string("%SRCROOT%");
    }
    json.close('}');
    json.field("region").open('{');
    json.field("startLine").number(location.line());
    json.field("startColumn").number(location.column());
    json.close('}');
    json.close('}');
    if (!location.message().isEmpty()) {
      json.field("message").open('{').field("text").string(location.message()).close('}');
    }
    json.close('}');
  }
}
