package dev.hangcheck.engine;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import dev.hangcheck.locks.Names;
import java.util.HashMap;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The classes of the objects a field can hold, for fields given only new objects or null
 * anywhere in the compilation ({@code managementDb = new JdbcConnection(...)}, later {@code
 * managementDb = null}): a call on the field runs those classes' methods, not every subclass's.
 */
final class FieldClasses {

  private final Map<VarSymbol, Set<ClassSymbol>> allocated = new IdentityHashMap<>();
  private final Set<VarSymbol> givenOtherValues = Collections.newSetFromMap(new IdentityHashMap<>());
  /** By key, made on the first question: most compilations write many fields and ask of few. */
  private @Nullable Map<String, Set<ClassSymbol>> byKey;

  /** A write of {@code value} (already seen through a local it was kept in) to {@code field}. */
  void written(VarSymbol field, ExpressionTree value) {
    if (ASTHelpers.stripParentheses(value).getKind() == Tree.Kind.NULL_LITERAL
        || givenOtherValues.contains(field)) {
      return;
    }
    ClassSymbol cls = RootFinder.allocatedClass(value);
    if (cls == null) {
      givenOtherValues.add(field);
      allocated.remove(field);
    } else {
      allocated.computeIfAbsent(field, k -> new LinkedHashSet<>()).add(cls);
    }
    byKey = null;
  }

  /** The classes field {@code key} ({@code pkg.Owner#name}) can hold; null when not known. */
  @Nullable Set<ClassSymbol> of(String key) {
    if (byKey == null) {
      byKey = new HashMap<>();
      allocated.forEach(
          (field, classes) ->
              byKey.put(Names.classKey((ClassSymbol) field.owner) + "#" + field.getSimpleName(), classes));
    }
    return byKey.get(key);
  }
}
