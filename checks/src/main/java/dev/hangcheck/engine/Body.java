package dev.hangcheck.engine;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import com.google.common.collect.ImmutableSet;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A piece of code that runs as one unit: a method or constructor, an initializer, or a lambda (or
 * method reference) whose execution is deferred. What the body does is recorded in source order by
 * {@link BodyScanner}; nothing here is computed twice.
 */
public final class Body {

  /** What kind of code this is. */
  public enum Kind {
    METHOD,
    INITIALIZER,
    /**
     * A lambda, or a method reference making its one call, run later, maybe on another thread:
     * held locks do not flow into it.
     */
    DEFERRED_LAMBDA
  }

  private final Kind kind;
  private final @Nullable MethodSymbol symbol;
  private final TreePath path;
  private final String fileKey;
  // Computed on demand: most bodies are never named in a message nor asked about suppression.
  private final Supplier<String> display;
  private final Supplier<ImmutableSet<String>> suppressions;
  final List<Acquisition> acquisitions = new ArrayList<>();
  final List<CallSite> calls = new ArrayList<>();
  final List<BlockingCallSite> blockingCalls = new ArrayList<>();
  /** Locks the method takes and still holds when it returns (a lock helper), in its terms. */
  final List<LockName> leftHeld = new ArrayList<>(0);
  /** Locks the method releases that it did not take (an unlock helper), in its terms. */
  final List<LockName> released = new ArrayList<>(0);
  /** What the method does with its locals and parameters, made when first asked. */
  private @Nullable LocalVariables locals;

  Body(
      Kind kind,
      @Nullable MethodSymbol symbol,
      TreePath path,
      String fileKey,
      Supplier<String> display,
      Supplier<ImmutableSet<String>> suppressions) {
    this.kind = kind;
    this.symbol = symbol;
    this.path = path;
    this.fileKey = fileKey;
    this.display = Suppliers.memoize(display::get);
    this.suppressions = Suppliers.memoize(suppressions::get);
  }

  public Kind kind() {
    return kind;
  }

  /** The method or constructor, for {@link Kind#METHOD}; null otherwise. */
  public @Nullable MethodSymbol symbol() {
    return symbol;
  }

  public TreePath path() {
    return path;
  }

  public CompilationUnitTree unit() {
    return path.getCompilationUnit();
  }

  /** The source file's URI: with the position, the order of sites and findings. */
  String fileKey() {
    return fileKey;
  }

  /** {@code Billing.charge(Order)}, or {@code a lambda in Billing.charge(Order)}. */
  public String display() {
    return display.get();
  }

  /** Whether {@code @SuppressWarnings} on this body or an enclosing declaration names the check. */
  public boolean isSuppressed(String checkName) {
    return suppressions.get().contains(checkName);
  }

  /** Whether the method assigns its parameter number {@code index} anywhere in its body. */
  boolean assignsParameter(int index) {
    if (symbol == null || index >= symbol.getParameters().size()) {
      return true;
    }
    if (locals == null) {
      locals = LocalVariables.in(path.getLeaf());
    }
    return locals.isReassigned(symbol.getParameters().get(index));
  }

  /**
   * Whether no other thread can hold {@code lock} here: an object the body allocated, or (in a
   * constructor) the monitor of the object under construction and the locks it allocates, which
   * no other thread can reach before {@code this} escapes.
   */
  public boolean isUncontended(LockName lock) {
    if (lock.root() == LockName.Root.FRESH) {
      return true;
    }
    boolean constructor = kind == Kind.METHOD && symbol != null && symbol.isConstructor();
    return constructor
        && lock.root() == LockName.Root.THIS
        && (lock.fields().isEmpty()
            || (lock.fields().size() == 1
                && lock.family() != null
                && lock.family().kind() == LockId.Kind.FIELD));
  }

  public List<Acquisition> acquisitions() {
    return Collections.unmodifiableList(acquisitions);
  }

  public List<CallSite> calls() {
    return Collections.unmodifiableList(calls);
  }

  public List<LockName> leftHeld() {
    return Collections.unmodifiableList(leftHeld);
  }

  public List<LockName> released() {
    return Collections.unmodifiableList(released);
  }

  public List<BlockingCallSite> blockingCalls() {
    return Collections.unmodifiableList(blockingCalls);
  }

  @Override
  public String toString() {
    return display();
  }
}
