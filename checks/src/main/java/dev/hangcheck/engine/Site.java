package dev.hangcheck.engine;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.tree.JCTree;
import java.util.Comparator;

/**
 * A place in the source: a tree, the file it is in and the code body (method, lambda, initializer)
 * that contains it. Sites order findings, so their order is total and independent of the order in
 * which javac was given the files.
 */
public final class Site implements Comparable<Site> {

  private static final Comparator<Site> ORDER =
      Comparator.comparing((Site s) -> s.fileKey).thenComparingInt(Site::position);

  private final Tree tree;
  private final Body body;
  private final String fileKey;
  /** Computed on first use: most sites are never ordered nor shown. */
  private int position = UNKNOWN;

  private static final int UNKNOWN = Integer.MIN_VALUE;

  Site(Tree tree, Body body) {
    this.tree = tree;
    this.body = body;
    this.fileKey = body.fileKey();
  }

  private int position() {
    if (position == UNKNOWN) {
      position = ((JCTree) tree).getStartPosition();
    }
    return position;
  }

  public Tree tree() {
    return tree;
  }

  public Body body() {
    return body;
  }

  public CompilationUnitTree unit() {
    return body.unit();
  }

  /**
   * The line messages name: where the tree starts, but for a method (a {@code synchronized}
   * method's monitor is taken there) the line of its name, not of the annotations above it.
   */
  public long line() {
    int shown = tree instanceof JCTree.JCMethodDecl method ? method.pos : position();
    return shown < 0 ? 0 : unit().getLineMap().getLineNumber(shown);
  }

  /** The file's simple name, as messages show it. */
  public String fileName() {
    return fileName(unit());
  }

  /** The simple name of a compilation unit's file, as messages show it. */
  public static String fileName(CompilationUnitTree unit) {
    String path = unit.getSourceFile().getName();
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(slash + 1);
  }

  /** {@code Billing.java:42} */
  public String fileAndLine() {
    return fileName() + ":" + line();
  }

  /** {@code Billing.java:42 in Billing.charge(Order)} */
  public String describe() {
    return fileAndLine() + " in " + body.display();
  }

  @Override
  public int compareTo(Site other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return describe();
  }
}
