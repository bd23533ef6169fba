package dev.hangcheck.engine;

import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Types;
import org.jspecify.annotations.Nullable;

/**
 * What a chain of calls on {@code this} says about the class of the object: a path that runs the
 * implementation of {@code close()} in {@code JDBCStatement} runs only for a {@code JDBCStatement}.
 * Inherited code calling an overridable method on {@code this} reaches every override below its
 * class, but a caller that is a sibling class reaches only its own: {@code
 * JDBCCallableStatement.execute()} calling the inherited {@code checkClosed()}, which calls {@code
 * close()}, never runs {@code JDBCStatement.close()}.
 */
public final class ThisClass {

  private ThisClass() {}

  /** What a path needs of the class of its {@code this}: {@code cls}, or nothing (null). */
  public record Need(@Nullable ClassSymbol cls) {
    public static final Need NOTHING = new Need(null);
  }

  /**
   * What a callee's fact, which needs its {@code this} to be of class {@code needed}, needs of the
   * caller's object through {@code call}: the callee's own class joins the need when the call is
   * on the caller's own object, and the caller's class must be able to be it; on another object,
   * the receiver must be able to be it. Null when no object can take the path.
   */
  public static @Nullable Need through(
      CallSite call, Body callee, Need needed, SourceIndex index) {
    Types types = index.types();
    if (!call.onThis() || callee.symbol() == null) {
      // Another object: its class says nothing of the caller's, but it must be able to be one
      // (resultSet.preparedStatement is only ever a new JDBCPreparedStatement).
      return needed.cls() == null || index.receiverMayBeA(call, needed.cls()) ? Need.NOTHING : null;
    }
    ClassSymbol narrowed = narrower(needed.cls(), callee.symbol().enclClass(), types);
    if (narrowed == null) {
      return null;
    }
    Body caller = call.site().body();
    if (caller.symbol() == null) {
      return Need.NOTHING;
    }
    ClassSymbol callerClass = caller.symbol().enclClass();
    if (callerClass.isSubClass(narrowed, types)) {
      return Need.NOTHING; // every object the caller runs on is one
    }
    return narrowed.isSubClass(callerClass, types) ? new Need(narrowed) : null;
  }

  /** The narrower of two classes one object must be of, or null if it cannot be both. */
  private static @Nullable ClassSymbol narrower(
      @Nullable ClassSymbol a, ClassSymbol b, Types types) {
    if (a == null || b.isSubClass(a, types)) {
      return b;
    }
    return a.isSubClass(b, types) ? a : null;
  }
}
