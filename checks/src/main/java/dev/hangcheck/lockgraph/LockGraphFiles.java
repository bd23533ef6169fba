package dev.hangcheck.lockgraph;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.tree.JCTree;
import dev.hangcheck.engine.Json;
import dev.hangcheck.engine.Site;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.engine.TransitiveFacts;
import dev.hangcheck.engine.WorkBudget;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes the lock graph of a compilation, {@code -XepOpt:Hangcheck:LockGraph=path/name}: {@code
 * name.dot} for Graphviz and {@code name.json} (schema in docs/lock-graph.md). Nodes are lock
 * families, with the class that declares them and where; edges are orders "held, then acquired",
 * with their first site, how many sites make them and the chain of calls. An edge LockOrderInversion
 * reports is on a cycle (red); a declared order is dashed; an order against the declared one is a
 * violation (bold orange). Sorted throughout: the same sources give the same files.
 */
public final class LockGraphFiles {

  private LockGraphFiles() {}

  /** One order of the picture: the edges of the graph between two locks. */
  private record Order(
      LockId from, LockId to, List<LockOrderAnalysis.Edge> edges, boolean onCycle, boolean violation) {}

  /**
   * @param violationsReported whether LockOrderViolation runs: then a cycle through a violation is
   *     not LockOrderInversion's, and is not drawn red
   */
  public static void write(
      SourceIndex index,
      int maxCallDepth,
      int maxCycleCalls,
      DeclaredOrder declared,
      boolean violationsReported,
      Path prefix)
      throws IOException {
    LockOrderAnalysis.Picture picture =
        LockOrderAnalysis.picture(
            index,
            WorkBudget.fromSystemProperty(),
            maxCallDepth,
            maxCycleCalls,
            declared,
            violationsReported);
    List<Order> orders = new ArrayList<>();
    TreeSet<LockId> nodes = new TreeSet<>();
    picture
        .graph()
        .forEachEdge(
            (from, to, edges) -> {
              List<LockOrderAnalysis.Edge> sorted = new ArrayList<>(edges);
              sorted.sort(
                  java.util.Comparator.comparing(LockOrderAnalysis.Edge::site)
                      .thenComparing(LockOrderAnalysis.Edge::acquired));
              boolean onCycle = sorted.stream().anyMatch(e -> picture.onCycles().hasAt(e.site()));
              boolean violation = declared.putsBefore(to, from) != null;
              orders.add(new Order(from, to, sorted, onCycle, violation));
              nodes.add(from);
              nodes.add(to);
            });
    for (DeclaredOrder.Declaration declaration : declared.declarations()) {
      nodes.add(declaration.first());
      nodes.add(declaration.second());
    }
    Map<LockId, String> declaredAt = declarationSites(index, nodes);
    Map<LockId, String> ids = new HashMap<>();
    int next = 0;
    for (LockId node : nodes) {
      ids.put(node, "n" + next++);
    }
    Path dot = Path.of(prefix + ".dot");
    Path json = Path.of(prefix + ".json");
    Path parent = dot.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(dot, dot(nodes, ids, declaredAt, orders, declared), StandardCharsets.UTF_8);
    Files.writeString(json, json(nodes, ids, declaredAt, orders, declared), StandardCharsets.UTF_8);
  }

  private static String dot(
      TreeSet<LockId> nodes,
      Map<LockId, String> ids,
      Map<LockId, String> declaredAt,
      List<Order> orders,
      DeclaredOrder declared) {
    StringBuilder out = new StringBuilder();
    out.append("digraph \"lock-graph\" {\n");
    out.append("  rankdir=LR;\n");
    out.append("  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=11];\n");
    out.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (LockId node : nodes) {
      String where = declaredAt.get(node);
      out.append("  ")
          .append(ids.get(node))
          .append(" [label=\"")
          .append(dotText(node.display() + (where == null ? "" : "\n" + where)))
          .append("\"];\n");
    }
    for (Order order : orders) {
      LockOrderAnalysis.Edge first = order.edges().get(0);
      String label =
          first.site().body().display()
              + "\n"
              + first.site().fileAndLine()
              + (order.edges().size() > 1 ? " (+" + (order.edges().size() - 1) + " more)" : "")
              + (order.violation() ? "\nagainst the declared order" : "");
      out.append("  ")
          .append(ids.get(order.from()))
          .append(" -> ")
          .append(ids.get(order.to()))
          .append(" [label=\"")
          .append(dotText(label))
          .append("\"");
      if (order.violation()) {
        out.append(", color=\"darkorange\", fontcolor=\"darkorange\", penwidth=2.5");
      } else if (order.onCycle()) {
        out.append(", color=\"red\", fontcolor=\"red\", penwidth=2");
      }
      out.append("];\n");
    }
    for (DeclaredOrder.Declaration declaration : declared.declarations()) {
      out.append("  ")
          .append(ids.get(declaration.first()))
          .append(" -> ")
          .append(ids.get(declaration.second()))
          .append(" [style=dashed, color=\"gray40\", fontcolor=\"gray40\", label=\"")
          .append(dotText("declared: " + declaration.origin()))
          .append("\"];\n");
    }
    out.append("}\n");
    return out.toString();
  }

  private static String dotText(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String json(
      TreeSet<LockId> nodes,
      Map<LockId, String> ids,
      Map<LockId, String> declaredAt,
      List<Order> orders,
      DeclaredOrder declared) {
    Json json = new Json();
    json.open('{');
    json.field("format").string("hangcheck-lock-graph");
    json.field("version").number(1);
    json.field("locks").open('[');
    for (LockId node : nodes) {
      json.open('{');
      json.field("id").string(ids.get(node));
      json.field("name").string(node.display());
      json.field("key").string(node.key());
      json.field("kind").string(kind(node));
      String owner = declaringType(node);
      if (owner != null) {
        json.field("declaringType").string(owner);
      }
      String where = declaredAt.get(node);
      if (where != null) {
        json.field("declaredAt").string(where);
      }
      json.close('}');
    }
    json.close(']');
    json.field("orders").open('[');
    for (Order order : orders) {
      LockOrderAnalysis.Edge first = order.edges().get(0);
      json.open('{');
      json.field("held").string(ids.get(order.from()));
      json.field("acquired").string(ids.get(order.to()));
      json.field("sites").number(order.edges().size());
      json.field("onCycle").bool(order.onCycle());
      json.field("violatesDeclaredOrder").bool(order.violation());
      json.field("firstSite").open('{');
      json.field("method").string(first.site().body().display());
      json.field("at").string(first.site().fileAndLine());
      json.field("acquires").string(first.acquired());
      json.field("holding").string(first.holding().display());
      json.field("calls").open('[');
      TransitiveFacts.Chain chain = first.chain();
      if (chain != null) {
        for (TransitiveFacts.Step step : chain.steps()) {
          json.string(step.callee().display());
        }
      }
      json.close(']');
      if (chain != null) {
        json.field("acquiredAt").string(chain.origin().fileAndLine());
      }
      json.close('}');
      json.close('}');
    }
    json.close(']');
    json.field("declaredOrders").open('[');
    for (DeclaredOrder.Declaration declaration : declared.declarations()) {
      json.open('{');
      json.field("first").string(ids.get(declaration.first()));
      json.field("then").string(ids.get(declaration.second()));
      json.field("declaredBy").string(declaration.origin());
      json.close('}');
    }
    json.close(']');
    json.close('}');
    return json.text() + "\n";
  }

  private static String kind(LockId node) {
    return switch (node.kind()) {
      case STATIC_FIELD -> "static-field";
      case FIELD -> "field";
      case ASSIGNED_FIELD -> "assigned-field";
      case OBJECT -> "object";
      case CLASS_MONITOR -> "class-literal";
    };
  }

  /** The class a field lock is declared in, or whose instances or literal the lock is. */
  private static String declaringType(LockId node) {
    String key = node.key();
    int cut = key.indexOf('#');
    if (cut < 0 && key.endsWith(".class")) {
      cut = key.length() - ".class".length();
    }
    if (cut < 0 && node.kind() == LockId.Kind.STATIC_FIELD) {
      cut = key.lastIndexOf('.');
    }
    return cut < 0 ? key : key.substring(0, cut);
  }

  /**
   * Where each lock of the picture is declared in the sources: a lock field's declaration, or the
   * class whose instances' monitor or literal it is. Class members only, never bodies.
   */
  private static Map<LockId, String> declarationSites(SourceIndex index, TreeSet<LockId> nodes) {
    Map<LockId, String> sites = new TreeMap<>();
    for (CompilationUnitTree unit : index.units()) {
      for (Tree declaration : unit.getTypeDecls()) {
        if (declaration instanceof ClassTree cls) {
          addSites(index, unit, cls, nodes, sites);
        }
      }
    }
    return sites;
  }

  private static void addSites(
      SourceIndex index,
      CompilationUnitTree unit,
      ClassTree tree,
      TreeSet<LockId> nodes,
      Map<LockId, String> sites) {
    ClassSymbol cls = ASTHelpers.getSymbol(tree);
    if (cls == null) {
      return;
    }
    String classSite = site(unit, tree);
    LockId monitor = LockId.object(cls);
    if (monitor != null && nodes.contains(monitor)) {
      sites.putIfAbsent(monitor, classSite);
    }
    LockId literal =
        LockId.classMonitor(Names.classKey(cls), Names.classDisplay(cls));
    if (nodes.contains(literal)) {
      sites.putIfAbsent(literal, classSite);
    }
    for (Tree member : tree.getMembers()) {
      if (member instanceof ClassTree nested) {
        addSites(index, unit, nested, nodes, sites);
      } else if (member instanceof VariableTree field && ASTHelpers.getSymbol(field) != null) {
        VarSymbol symbol = ASTHelpers.getSymbol(field);
        LockId family = index.fieldFamily(symbol);
        if (family != null && nodes.contains(family)) {
          sites.putIfAbsent(family, site(unit, field));
        }
      }
    }
  }

  private static String site(CompilationUnitTree unit, Tree tree) {
    int position =
        tree instanceof JCTree.JCVariableDecl variable
            ? variable.pos
            : tree instanceof JCTree.JCClassDecl cls ? cls.pos : ((JCTree) tree).getStartPosition();
    return Site.fileName(unit) + ":" + unit.getLineMap().getLineNumber(position);
  }
}
